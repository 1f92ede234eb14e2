-- The webhook bridge: subscriptions of other departments' HTTP endpoints to event subjects, and
-- one delivery row per (subscription, event), written in the inbox transaction of the event.

CREATE TABLE webhook_subscriptions (
    subscription_id  uuid PRIMARY KEY,
    name             text NOT NULL,
    url              text NOT NULL,            -- http://host[:port]/path
    subjects         text[] NOT NULL,          -- NATS subject patterns (*, >)
    project_ids      text[] NOT NULL DEFAULT '{}',  -- empty: every project
    secret           text NOT NULL,            -- HMAC-SHA256 key of the signatures
    active           boolean NOT NULL DEFAULT true,
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
    id               bigserial PRIMARY KEY,    -- arrival order = the stream's order
    delivery_id      uuid NOT NULL UNIQUE,     -- sent as X-Sales-Delivery-Id, the same on every attempt
    subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions ON DELETE CASCADE,
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    ordering_key     text NOT NULL,            -- the event's subject (aggregate id)
    payload          text NOT NULL,            -- the envelope as published, sent as the body
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts         int NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_attempt_at  timestamptz NULL,
    last_status      int NULL,                 -- HTTP status of the last attempt; NULL: no answer
    last_error       text NULL,
    delivered_at     timestamptz NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- Since when it has been waiting (creation, or the last manual redelivery): a failing
    -- delivery becomes a dead letter once this is older than the give-up time.
    pending_since    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (subscription_id, event_id)
);
-- The workers' scan: due pending deliveries, oldest first.
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, id)
    WHERE status = 'pending';
-- Per-key order: an earlier pending delivery of the same key holds later ones back.
CREATE INDEX webhook_deliveries_key_idx ON webhook_deliveries (subscription_id, ordering_key, id)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_listing_idx ON webhook_deliveries (subscription_id, status, id);
