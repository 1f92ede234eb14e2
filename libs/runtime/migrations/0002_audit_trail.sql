-- The audit trail of business writes (SEC-2): one row per committed transaction that changed
-- data while serving an authenticated HTTP write, inserted inside that same transaction, so no
-- write commits without it, whether the request came through the gateway or to the service's
-- own port. Append-only.
CREATE TABLE audit_trail (
    id             bigserial   PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    user_id        text        NOT NULL,
    roles          text        NOT NULL,
    method         text        NOT NULL,
    route          text        NOT NULL,
    path           text        NOT NULL,
    reason         text,
    request_id     text        NOT NULL,
    remote_address text        NOT NULL
);
CREATE INDEX audit_trail_at ON audit_trail (at);
CREATE INDEX audit_trail_user ON audit_trail (user_id, at);
CREATE INDEX audit_trail_request ON audit_trail (request_id);

CREATE FUNCTION audit_trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_trail is append-only (SEC-2)';
END $$;
CREATE TRIGGER audit_trail_no_update_delete BEFORE UPDATE OR DELETE ON audit_trail
    FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only();
CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail
    FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_append_only();
