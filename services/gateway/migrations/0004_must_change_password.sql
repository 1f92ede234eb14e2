-- A password an administrator set (a new user, a reset) is known to two people: the console
-- asks its owner to replace it before anything else.
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
