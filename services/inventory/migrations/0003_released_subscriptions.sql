-- Subscriptions whose hold contract released (its compensation after a failed or timed-out
-- create): a hold request for one of them that arrives late is refused, so no unit stays held
-- for a subscription that does not exist. Purged after a day.
CREATE TABLE released_subscriptions (
    subscription_id uuid PRIMARY KEY,
    released_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX released_subscriptions_released_at ON released_subscriptions (released_at);
