-- INV-1: the top of the hierarchy. Buildings, units and price lists follow in later migrations.
CREATE TABLE projects (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE,   -- e.g. HX01; part of contract numbers (CON-3)
    name        text NOT NULL,
    city        text NOT NULL,
    version     bigint NOT NULL DEFAULT 1,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
