-- CUS-8: the PII access log also records every customer search, and nobody may change it.
--   kind 'read':   a full (unmasked) read of one customer's PII by someone other than its owner
--                  (customer_id set), as before;
--   kind 'search': a GET /api/v1/customers with q: who, when, the project asked for (NULL = all
--                  of the reader's projects), how q searched (query_kind), q masked
--                  (query_masked: a whole phone as 138****8000, a fragment as stars, a name
--                  as typed with any phone in it masked), a keyed SHA-256 of what was searched
--                  for (query_hash, see below; the raw query is never stored), whether a phone
--                  fragment was limited to the reader's own customers (phone_scope) and how many
--                  customers matched (result_count).
ALTER TABLE pii_access_log
    ALTER COLUMN customer_id DROP NOT NULL,
    ADD COLUMN kind          text NOT NULL DEFAULT 'read' CHECK (kind IN ('read', 'search')),
    ADD COLUMN project_id    uuid,
    ADD COLUMN query_kind    text CHECK (query_kind IN ('name', 'phone_exact', 'phone_fragment')),
    ADD COLUMN query_masked  text,
    ADD COLUMN query_hash    text,
    ADD COLUMN phone_scope   text CHECK (phone_scope IN ('all', 'own')),
    ADD COLUMN result_count  bigint,
    ADD CONSTRAINT pii_access_log_shape CHECK (
        (kind = 'read' AND customer_id IS NOT NULL) OR
        (kind = 'search' AND query_kind IS NOT NULL AND query_hash IS NOT NULL
         AND result_count IS NOT NULL));
CREATE INDEX pii_access_log_reader ON pii_access_log (reader_id, read_at);

-- query_hash = hex(sha256(<value of this key> || ':' || <the normalised phone digits, the
-- fragment's digits, or the name text>)): an auditor can find who searched for a given number
-- (docs/operations.md) while the log itself does not hold it. The key never leaves the database.
INSERT INTO service_keys (name, value)
VALUES ('pii_search_hash', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));

-- Append-only (the function comes with the runtime migrations, applied before these).
CREATE TRIGGER pii_access_log_no_update_delete BEFORE UPDATE OR DELETE ON pii_access_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only('CUS-8');
CREATE TRIGGER pii_access_log_no_truncate BEFORE TRUNCATE ON pii_access_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_append_only('CUS-8');
