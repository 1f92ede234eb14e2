-- FIN-5 dunning 催款: an overdue schedule item is announced to the owning rep once
-- (finance.instalment.overdue) and closed when it is paid (finance.instalment.settled). Keyed by
-- the item's due date as well as its number: an amendment may renumber the schedule.
CREATE TABLE dunning_notices (
    contract_id     uuid NOT NULL REFERENCES contracts (contract_id),
    seq             int NOT NULL,
    due_date        date NOT NULL,
    outstanding_fen bigint NOT NULL CHECK (outstanding_fen > 0),
    notified_at     timestamptz NOT NULL DEFAULT now(),
    settled_at      timestamptz NULL,
    PRIMARY KEY (contract_id, seq, due_date)
);
CREATE INDEX dunning_notices_open_idx ON dunning_notices (contract_id) WHERE settled_at IS NULL;
