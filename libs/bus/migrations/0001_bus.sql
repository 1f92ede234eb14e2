-- Transactional outbox, idempotent inbox and dead letters (ARCHITECTURE.md "Events: never lost,
-- never applied twice"). Applied by each service as migration set "bus".

CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    event_id    uuid NOT NULL UNIQUE,
    subject     text NOT NULL,             -- NATS subject = CloudEvents type
    payload     text NOT NULL,             -- the envelope JSON, published as is
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz NULL           -- set after the JetStream publish ack
);
-- The relay scans only unsent rows. Sent rows stay for audit until pruned.
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;

CREATE TABLE inbox (
    event_id     uuid PRIMARY KEY,
    subject      text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dead_letter (
    id          bigserial PRIMARY KEY,
    event_id    text NULL,                 -- NULL when the message was not a readable envelope
    subject     text NOT NULL,
    payload     text NOT NULL,
    reason      text NOT NULL,
    deliveries  int NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letter_created_idx ON dead_letter (created_at);
