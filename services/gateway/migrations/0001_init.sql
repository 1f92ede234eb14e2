-- Gateway: users, login sessions and the append-only audit log (SEC-1, SEC-2).
CREATE TABLE users (
    id               uuid        PRIMARY KEY,
    username         text        NOT NULL UNIQUE,
    display_name     text        NOT NULL,
    password_hash    text        NOT NULL,             -- argon2id PHC string (libsodium)
    roles            text[]      NOT NULL,
    project_ids      text[]      NOT NULL,             -- "*" = all projects
    region           text        NOT NULL DEFAULT '',  -- '' = group level
    disabled         boolean     NOT NULL DEFAULT false,
    failed_attempts  integer     NOT NULL DEFAULT 0,
    locked_until     timestamptz,
    created_by       text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- One row per login; its id is the tokens' jti. The refresh token is stored hashed.
CREATE TABLE sessions (
    id            uuid        PRIMARY KEY,
    user_id       uuid        NOT NULL REFERENCES users (id),
    refresh_hash  text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- SEC-2: every state-changing request through the gateway, append-only.
CREATE TABLE audit_log (
    id          bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    user_id     text        NOT NULL,   -- '' when the caller was not authenticated
    username    text        NOT NULL,
    method      text        NOT NULL,
    route       text        NOT NULL,   -- the route pattern
    path        text        NOT NULL,   -- the target as requested
    target      text        NOT NULL,   -- the resource id from the path, if any
    status      integer     NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('succeeded', 'rejected', 'denied', 'failed')),
    reason      text,                   -- the request's "reason"/"note" field, if any
    request_id  text        NOT NULL,
    remote_address text     NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (SEC-2)';
END $$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
