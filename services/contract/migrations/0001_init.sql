-- The projects the contract service knows, learned from inventory.project.created (never read
-- from inventory's database). Contract numbers (CON-3) will use the project code.
CREATE TABLE project_refs (
    project_id  uuid PRIMARY KEY,
    code        text NOT NULL,
    name        text NOT NULL,
    version     bigint NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Every project event applied, in order of application. Deliberately no unique key on
-- event_id: exactly-once application is the inbox's job, and this log shows it.
CREATE TABLE project_event_log (
    id          bigserial PRIMARY KEY,
    event_id    uuid NOT NULL,
    project_id  uuid NOT NULL,
    type        text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_event_log_event ON project_event_log (event_id);
