-- Contract search 合同查询 and the registration deadline (CON-7).

-- CON-7: registration (网签备案) is due this many working days after the stamping day
-- (DOMAIN.md default 2; PATCH /api/v1/projects/{id}/contract-settings).
ALTER TABLE project_refs
    ADD COLUMN registration_deadline_working_days integer NOT NULL DEFAULT 2
        CHECK (registration_deadline_working_days BETWEEN 1 AND 30);

-- Where the unit is, as inventory's hold (and swap) reply names it: kept on the subscription and
-- fixed on the contract at signing (a contract names its 楼栋/房号). NULL for deals made before
-- this was recorded.
ALTER TABLE subscriptions
    ADD COLUMN building_id uuid NULL,
    ADD COLUMN unit_number text NULL;
ALTER TABLE contracts
    ADD COLUMN building_id uuid NULL,
    ADD COLUMN unit_number text NULL,
    -- CON-7: set at stamping (domain::registration_due); contracts stamped earlier are filled in
    -- when the service starts (app::fill_registration_due).
    ADD COLUMN registration_due_on date NULL;

-- CON-7: a registration number names one contract of the project, whatever became of it.
CREATE UNIQUE INDEX contracts_registration_no_per_project ON contracts (project_id, registration_no)
    WHERE registration_no IS NOT NULL;

-- GET /api/v1/contracts: newest signing first within each selective filter, and across every
-- project (a caller of all projects, a range of signing days).
CREATE INDEX contracts_search_signed_idx ON contracts (signed_at DESC, contract_no DESC);
CREATE INDEX contracts_search_project_idx ON contracts (project_id, signed_at DESC, contract_no DESC);
CREATE INDEX contracts_search_building_idx ON contracts (building_id, signed_at DESC)
    WHERE building_id IS NOT NULL;
CREATE INDEX contracts_search_rep_idx ON contracts (rep_id, signed_at DESC);
CREATE INDEX contracts_search_customer_idx ON contracts (customer_id, signed_at DESC);
-- contract_no LIKE 'prefix%' whatever the database's collation.
CREATE INDEX contracts_contract_no_prefix_idx ON contracts (contract_no text_pattern_ops);
-- GET /api/v1/contracts/awaiting-registration: stamped, not yet registered, due first.
CREATE INDEX contracts_awaiting_registration_idx ON contracts (registration_due_on, contract_no)
    WHERE status = 'stamped';
