-- Project settings (DOMAIN.md: every number configurable per project), the INV-1 hierarchy
-- below projects, unit status (INV-4) with its history, price lists and change requests (INV-2)
-- and the unit price history.

ALTER TABLE projects
    ADD COLUMN deposit_deadline_seconds      bigint NOT NULL DEFAULT 43200   -- CON-1: 12 h
        CHECK (deposit_deadline_seconds > 0),
    ADD COLUMN signing_deadline_days         bigint NOT NULL DEFAULT 30      -- CON-3: 1 month
        CHECK (signing_deadline_days > 0),
    ADD COLUMN deposit_cap_percent           bigint NOT NULL DEFAULT 20      -- REG-2
        CHECK (deposit_cap_percent BETWEEN 1 AND 20),
    ADD COLUMN reservation_manager_only_days bigint NOT NULL DEFAULT 7       -- INV-4
        CHECK (reservation_manager_only_days >= 0),
    ADD COLUMN opened_at                     timestamptz NULL,  -- first release of any unit
    -- INV-2: set when finance approves the price list; unit master data is read-only after.
    ADD COLUMN master_data_locked_at         timestamptz NULL,
    ADD COLUMN locked_price_list_id          uuid NULL;

CREATE TABLE phases (
    id          uuid PRIMARY KEY,
    project_id  uuid NOT NULL REFERENCES projects (id),
    name        text NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, name)
);

CREATE TABLE buildings (
    id          uuid PRIMARY KEY,
    project_id  uuid NOT NULL REFERENCES projects (id),
    phase_id    uuid NULL REFERENCES phases (id),
    name        text NOT NULL,
    floors      int NOT NULL CHECK (floors BETWEEN 1 AND 200),
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, name)
);

CREATE TABLE units (
    id                          uuid PRIMARY KEY,
    project_id                  uuid NOT NULL REFERENCES projects (id),
    building_id                 uuid NOT NULL REFERENCES buildings (id),
    unit_number                 text NOT NULL,
    floor                       int NOT NULL,
    position                    int NOT NULL,
    layout                      text NOT NULL,
    orientation                 text NOT NULL,
    decoration                  text NOT NULL,
    internal_area_centi_m2      bigint NOT NULL CHECK (internal_area_centi_m2 > 0),
    shared_area_centi_m2        bigint NOT NULL CHECK (shared_area_centi_m2 >= 0),
    gross_area_centi_m2         bigint NOT NULL,
    list_unit_price_fen_per_m2  bigint NOT NULL CHECK (list_unit_price_fen_per_m2 > 0),
    list_total_fen              bigint NOT NULL CHECK (list_total_fen >= 0),
    price_list_id               uuid NULL,   -- the approved price list the price comes from
    status                      text NOT NULL DEFAULT 'not_for_sale' CHECK (status IN
        ('not_for_sale', 'available', 'reserved', 'held', 'subscribed', 'signed', 'handed_over')),
    version                     bigint NOT NULL DEFAULT 1,
    -- held / subscribed: the subscription that has the unit (contract service), hold expiry.
    hold_subscription_id        uuid NULL,
    hold_until                  timestamptz NULL,
    deal_price_fen              bigint NULL CHECK (deal_price_fen >= 0),
    -- reserved (预留, INV-4)
    reservation_id              uuid NULL,
    reserved_by                 text NULL,
    reserved_for                text NULL,
    reservation_expires_at      timestamptz NULL,
    created_by                  text NOT NULL,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT units_number_unique UNIQUE (building_id, unit_number),
    CONSTRAINT units_slot_unique UNIQUE (building_id, floor, position),
    CONSTRAINT units_gross_is_sum   -- INV-1
        CHECK (gross_area_centi_m2 = internal_area_centi_m2 + shared_area_centi_m2),
    CONSTRAINT units_deal_fields CHECK (
        (status IN ('held', 'subscribed', 'signed', 'handed_over')) =
        (hold_subscription_id IS NOT NULL)),
    CONSTRAINT units_hold_until CHECK ((status = 'held') = (hold_until IS NOT NULL)),
    CONSTRAINT units_reservation CHECK (
        (status = 'reserved') = (reservation_id IS NOT NULL AND reservation_expires_at IS NOT NULL))
);
-- Sales-control board (INV-5): one index range scan per building / project, already in order.
CREATE INDEX units_board_idx ON units (building_id, floor DESC, position);
CREATE INDEX units_project_idx ON units (project_id, building_id);
-- Sweepers: only the few rows that can expire.
CREATE INDEX units_hold_expiry_idx ON units (hold_until) WHERE status = 'held';
CREATE INDEX units_reservation_expiry_idx ON units (reservation_expires_at)
    WHERE status = 'reserved';

-- INV-4 / SEC-2: who changed a unit's status, when, why.
CREATE TABLE unit_history (
    id               bigserial PRIMARY KEY,
    unit_id          uuid NOT NULL REFERENCES units (id),
    project_id       uuid NOT NULL,
    action           text NOT NULL,
    from_status      text NULL,        -- NULL for the creation row
    to_status        text NOT NULL,
    actor            text NOT NULL,
    reason           text NOT NULL,
    subscription_id  uuid NULL,
    version          bigint NOT NULL,  -- the unit's version after the change
    at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unit_history_unit_idx ON unit_history (unit_id, id);

-- INV-2 price lists: draft → approved (by finance; applies prices, locks master data).
CREATE TABLE price_lists (
    id           uuid PRIMARY KEY,
    project_id   uuid NOT NULL REFERENCES projects (id),
    name         text NOT NULL,
    status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved')),
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    approved_by  text NULL,
    approved_at  timestamptz NULL
);
CREATE INDEX price_lists_project_idx ON price_lists (project_id);
-- At most one approved price list per project (the one that locked it).
CREATE UNIQUE INDEX price_lists_one_approved ON price_lists (project_id) WHERE status = 'approved';

CREATE TABLE price_list_items (
    price_list_id          uuid NOT NULL REFERENCES price_lists (id),
    unit_id                uuid NOT NULL REFERENCES units (id),
    unit_price_fen_per_m2  bigint NOT NULL CHECK (unit_price_fen_per_m2 > 0),
    PRIMARY KEY (price_list_id, unit_id)
);

-- INV-2 change requests after the lock: new price and/or areas, effective from approval.
CREATE TABLE change_requests (
    id                          uuid PRIMARY KEY,
    project_id                  uuid NOT NULL REFERENCES projects (id),
    unit_id                     uuid NOT NULL REFERENCES units (id),
    status                      text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected')),
    list_unit_price_fen_per_m2  bigint NULL CHECK (list_unit_price_fen_per_m2 > 0),
    internal_area_centi_m2      bigint NULL CHECK (internal_area_centi_m2 > 0),
    shared_area_centi_m2        bigint NULL CHECK (shared_area_centi_m2 >= 0),
    reason                      text NOT NULL,
    requested_by                text NOT NULL,
    requested_at                timestamptz NOT NULL DEFAULT now(),
    decided_by                  text NULL,
    decided_at                  timestamptz NULL,
    decision_note               text NULL
);
CREATE INDEX change_requests_unit_idx ON change_requests (unit_id, requested_at);

-- INV-2 price history: every list price a unit has had and from when it applied.
CREATE TABLE unit_prices (
    id                          bigserial PRIMARY KEY,
    unit_id                     uuid NOT NULL REFERENCES units (id),
    list_unit_price_fen_per_m2  bigint NOT NULL,
    gross_area_centi_m2         bigint NOT NULL,
    list_total_fen              bigint NOT NULL,
    effective_from              timestamptz NOT NULL DEFAULT now(),
    source                      text NOT NULL
        CHECK (source IN ('initial', 'edit', 'price_list', 'change_request')),
    source_id                   uuid NULL,  -- price list or change request
    recorded_by                 text NOT NULL
);
CREATE INDEX unit_prices_unit_idx ON unit_prices (unit_id, effective_from);
