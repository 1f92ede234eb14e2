-- Login protection and identity event order (SEC-1, issue 11).
--
-- Lockout counts per (user, client address): a flood of wrong passwords from one address locks
-- that pair only (login_failures), so the real user still logs in from another address. The
-- columns on users count failures from every address together, locking the account everywhere
-- only at a much higher threshold (SALES_GATEWAY_LOCKOUT_USER_FAILURES). A count restarts when
-- its window (failures_since + the lockout duration) has passed. Both are read and written
-- under a row lock in one transaction, so parallel guesses each count.
ALTER TABLE users ADD COLUMN failures_since timestamptz;

-- The user's identity version: +1 in the transaction that writes each identity.* event of the
-- user (created, disabled, enabled, session revoked); the event's `sequence`, so that services
-- apply a disable and an enable in the order they happened.
ALTER TABLE users ADD COLUMN identity_version bigint NOT NULL DEFAULT 0;

CREATE TABLE login_failures (
    user_id          uuid        NOT NULL REFERENCES users (id),
    address          text        NOT NULL,
    failed_attempts  integer     NOT NULL DEFAULT 0,
    failures_since   timestamptz,
    locked_until     timestamptz,
    PRIMARY KEY (user_id, address)
);
