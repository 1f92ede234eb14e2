-- Tokens that must stop working before they expire (SEC-1): users disabled by an administrator
-- and revoked login sessions (the token's jti). Every service keeps its own copy, fed by the
-- gateway's identity.* events, and loads it into memory at start.
CREATE TABLE IF NOT EXISTS denied_principals (
    kind       text        NOT NULL CHECK (kind IN ('user', 'session')),
    id         text        NOT NULL,
    denied     boolean     NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, id)
);
