-- FIN-5 dunning 催款 in the owning rep's task list 我的任务: finance announces an overdue schedule
-- item (finance.instalment.overdue) and closes it when it is paid (finance.instalment.settled).
CREATE TABLE dunning_tasks (
    contract_id     uuid NOT NULL,
    seq             int NOT NULL,
    due_date        date NOT NULL,
    project_id      uuid NOT NULL,
    customer_id     uuid NOT NULL,
    rep_id          text NOT NULL,
    contract_no     text NOT NULL,
    kind            text NOT NULL,
    outstanding_fen bigint NOT NULL,
    overdue_days    int NOT NULL,
    opened_at       timestamptz NOT NULL DEFAULT now(),
    closed_at       timestamptz NULL,
    PRIMARY KEY (contract_id, seq, due_date)
);
CREATE INDEX dunning_tasks_rep_open_idx ON dunning_tasks (rep_id) WHERE closed_at IS NULL;
