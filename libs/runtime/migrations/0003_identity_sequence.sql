-- The identity version (the event's `sequence`) of the last identity.user.* event applied per
-- user (SEC-1): an older event arriving late is ignored, so a disable and an enable are applied
-- in the order they happened. 0 = recorded before versions existed (or by a 0-sequence event).
ALTER TABLE denied_principals ADD COLUMN IF NOT EXISTS sequence bigint NOT NULL DEFAULT 0;
