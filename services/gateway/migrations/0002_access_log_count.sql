-- The audit log is the gateway's access log (issue 11): floods of refusals (429, 401 of a bad
-- token, requests matching no route) are counted in memory and written as one row per key and
-- interval; `count` is how many requests the row stands for (1 for every other row).
ALTER TABLE audit_log ADD COLUMN count bigint NOT NULL DEFAULT 1 CHECK (count >= 1);
