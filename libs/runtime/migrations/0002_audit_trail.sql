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

-- The trigger function of every append-only table of a service (audit and access logs): attach
-- it BEFORE UPDATE OR DELETE (FOR EACH ROW) and BEFORE TRUNCATE (FOR EACH STATEMENT), with the
-- rule that makes the table append-only as its argument.
CREATE FUNCTION refuse_change_to_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (%)', TG_TABLE_NAME, TG_ARGV[0];
END $$;
CREATE TRIGGER audit_trail_no_update_delete BEFORE UPDATE OR DELETE ON audit_trail
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only('SEC-2');
CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_append_only('SEC-2');
