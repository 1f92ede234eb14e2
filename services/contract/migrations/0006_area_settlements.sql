-- CON-10 area settlements 面积补差: computed by REG-1 for the live contract of a unit when
-- inventory fixes the unit's surveyed title areas (inventory.unit.title_area_recorded). A later
-- survey of the same unit supersedes the earlier settlement. gross / internal: the settlement on
-- each area (internal is NULL when the contract's internal area is not recorded); the one named
-- by pricing_basis applies.
CREATE TABLE area_settlements (
    id                   uuid PRIMARY KEY,
    contract_id          uuid NOT NULL REFERENCES contracts (id),
    unit_id              uuid NOT NULL,
    survey_id            uuid NOT NULL,
    pricing_basis        text NOT NULL CHECK (pricing_basis IN ('gross', 'internal')),
    price_fen            bigint NOT NULL,  -- the contract price settled against
    gross                jsonb NOT NULL,
    internal             jsonb NULL,
    status               text NOT NULL CHECK (status IN ('no_difference', 'to_settle',
                             'awaiting_buyer_choice', 'superseded')),
    computed_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (contract_id, survey_id)
);
CREATE INDEX area_settlements_contract_idx ON area_settlements (contract_id, computed_at);
