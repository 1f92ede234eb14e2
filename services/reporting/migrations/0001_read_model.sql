-- The read model of the reports, built only from the events of INVENTORY, CONTRACT, FINANCE and
-- CUSTOMER (docs/events.md). Nothing here is the source of truth: dropping the database and
-- replaying the streams rebuilds it (docs/operations.md "Rebuilding the read model by replay").
-- Every row keeps the version of the event that wrote it; an older event never overwrites it.

CREATE TABLE projects (
    project_id  uuid PRIMARY KEY,
    code        text NOT NULL,
    name        text NOT NULL,
    version     bigint NOT NULL
);

CREATE TABLE buildings (
    building_id uuid PRIMARY KEY,
    project_id  uuid NOT NULL,
    name        text NOT NULL
);

-- Units that were ever released for sale (inventory.unit.status_changed).
CREATE TABLE units (
    unit_id                 uuid PRIMARY KEY,
    project_id              uuid NOT NULL,
    building_id             uuid NOT NULL,
    unit_number             text NOT NULL,
    layout                  text NULL,
    status                  text NOT NULL,
    gross_area_centi_m2     bigint NULL,
    list_total_fen          bigint NULL,
    version                 bigint NOT NULL,
    changed_at              timestamptz NOT NULL
);
CREATE INDEX units_project_idx ON units (project_id, building_id, status);

-- First contacts (customer.created): the top of the conversion funnel.
CREATE TABLE customers (
    customer_id uuid PRIMARY KEY,
    project_id  uuid NOT NULL,
    owner_id    text NOT NULL,
    channel     text NOT NULL,
    received_on date NOT NULL
);
CREATE INDEX customers_project_day_idx ON customers (project_id, received_on);

CREATE TABLE subscriptions (
    subscription_id uuid PRIMARY KEY,
    project_id      uuid NOT NULL,
    unit_id         uuid NOT NULL,
    customer_id     uuid NOT NULL,
    rep_id          text NOT NULL,
    status          text NOT NULL,
    price_fen       bigint NOT NULL,
    created_on      date NOT NULL,   -- Asia/Shanghai day of created_at
    version         bigint NOT NULL
);
CREATE INDEX subscriptions_project_day_idx ON subscriptions (project_id, created_on);

-- Contracts as signed and as changed since (amendments, unit changes, cancellation, handover).
CREATE TABLE contracts (
    contract_id             uuid PRIMARY KEY,
    contract_no             text NOT NULL,
    subscription_id         uuid NOT NULL,
    project_id              uuid NOT NULL,
    unit_id                 uuid NOT NULL,
    customer_id             uuid NOT NULL,
    rep_id                  text NOT NULL,
    signed_at               timestamptz NOT NULL,
    signed_on               date NOT NULL,        -- Asia/Shanghai day of signed_at
    payment_plan            text NOT NULL,
    list_total_fen          bigint NOT NULL,
    discount_fen            bigint NOT NULL,
    price_fen               bigint NOT NULL,      -- current (after amendments)
    signed_price_fen        bigint NOT NULL,
    gross_area_centi_m2     bigint NULL,
    status                  text NOT NULL CHECK (status IN
                                ('signed', 'cancelling', 'cancelled', 'handed_over')),
    handed_over_on          date NULL,
    cancelled_at            timestamptz NULL,
    cancelled_on            date NULL,
    cancel_reason           text NULL,
    cancel_approved_by      text NULL,
    refund_fen              bigint NULL,
    version                 bigint NOT NULL
);
CREATE INDEX contracts_signed_idx ON contracts (project_id, signed_on);
CREATE INDEX contracts_cancelled_idx ON contracts (project_id, cancelled_on)
    WHERE cancelled_on IS NOT NULL;
CREATE INDEX contracts_subscription_idx ON contracts (subscription_id);

-- Amendments as requested (their reason and unit change), for the unit-change report.
CREATE TABLE amendments (
    amendment_id    uuid PRIMARY KEY,
    contract_id     uuid NOT NULL,
    reason          text NOT NULL,
    old_unit_id     uuid NULL,
    new_unit_id     uuid NULL,
    requested_at    timestamptz NOT NULL
);

-- 换房: before signing (contract.subscription.swapped) and after (an approved CON-5 unit change).
CREATE TABLE unit_changes (
    change_id       text PRIMARY KEY,         -- the swap event's id, or the amendment's id
    stage           text NOT NULL CHECK (stage IN ('subscription', 'contract')),
    project_id      uuid NOT NULL,
    subscription_id uuid NOT NULL,
    contract_id     uuid NULL,
    old_unit_id     uuid NOT NULL,
    new_unit_id     uuid NOT NULL,
    old_price_fen   bigint NULL,
    new_price_fen   bigint NOT NULL,
    reason          text NULL,
    approved_by     text NULL,
    changed_at      timestamptz NOT NULL,
    changed_on      date NOT NULL
);
CREATE INDEX unit_changes_project_day_idx ON unit_changes (project_id, changed_on);

-- Every ledger entry: receipts (> 0), refunds (< 0) and reversals (红冲, the original negated).
CREATE TABLE ledger_entries (
    entry_id            uuid PRIMARY KEY,
    project_id          uuid NOT NULL,
    contract_id         uuid NULL,
    subscription_id     uuid NULL,
    category            text NOT NULL,
    amount_fen          bigint NOT NULL,
    receipt_no          text NULL,
    paid_at             timestamptz NOT NULL,
    paid_on             date NOT NULL,         -- Asia/Shanghai day of paid_at
    reverses_entry_id   uuid NULL,
    reversed_category   text NULL
);
CREATE INDEX ledger_entries_project_day_idx ON ledger_entries (project_id, paid_on);
CREATE INDEX ledger_entries_subscription_idx ON ledger_entries (subscription_id);

-- Mortgage files (contract.mortgage.*): the latest snapshot.
CREATE TABLE mortgages (
    mortgage_id             uuid PRIMARY KEY,
    contract_id             uuid NOT NULL,
    project_id              uuid NOT NULL,
    contract_no             text NOT NULL,
    status                  text NOT NULL,
    loan_kind               text NOT NULL,
    loan_fen                bigint NOT NULL,
    approved_fen            bigint NULL,
    disbursed_fen           bigint NOT NULL,
    bank_name               text NULL,
    due_on                  date NULL,
    overdue                 boolean NOT NULL,
    version                 bigint NOT NULL,
    changed_at              timestamptz NOT NULL
);
CREATE INDEX mortgages_project_idx ON mortgages (project_id, status);
