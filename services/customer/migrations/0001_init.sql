-- The customer service's tables (DOMAIN.md CUS-1..10).

-- Projects as the customer service knows them: learned from inventory.project.created /
-- settings_changed (never read from inventory's database), with the customer-side settings
-- (defaults below; PATCH /api/v1/projects/{id}/customer-settings or the same keys in an
-- inventory settings event change them).
CREATE TABLE project_refs (
    project_id                    uuid PRIMARY KEY,
    code                          text NOT NULL,
    name                          text NOT NULL,
    version                       bigint NOT NULL,
    stale_days                    integer NOT NULL DEFAULT 14,   -- CUS-4
    follow_up_days                integer NOT NULL DEFAULT 5,    -- CUS-4
    complaint_first_response_days integer NOT NULL DEFAULT 1,    -- CUS-10 (working days)
    complaint_final_days          integer NOT NULL DEFAULT 10,   -- CUS-10 (working days)
    archive_after_days            integer NOT NULL DEFAULT 730,  -- CUS-9
    commission_min_events         integer NOT NULL DEFAULT 3,    -- CUS-7
    settings_changed_by           text,
    updated_at                    timestamptz NOT NULL DEFAULT now()
);

-- CUS-1 records. phone is the normalised de-dup key.
CREATE TABLE customers (
    id                      uuid PRIMARY KEY,
    project_id              uuid NOT NULL REFERENCES project_refs (project_id),
    name                    text NOT NULL,
    gender                  text CHECK (gender IN ('male', 'female')),
    birth_year              integer,
    phone                   text NOT NULL,
    phone_kind              text NOT NULL CHECK (phone_kind IN ('mobile', 'landline')),
    id_number               text,
    occupation              text,
    address                 text,
    channel                 text NOT NULL
                            CHECK (channel IN ('visit', 'call', 'online', 'referral', 'event')),
    budget_min_fen          bigint,
    budget_max_fen          bigint,
    need_layout             text,
    need_area_min_centi_m2  bigint,
    need_area_max_centi_m2  bigint,
    need_location           text,
    purchase_horizon        text,
    type                    text CHECK (type IN ('first_home', 'upgrade', 'investment')),
    stage                   text NOT NULL DEFAULT 'potential'
                            CHECK (stage IN ('potential', 'intent', 'prospect', 'closed')),
    owner_id                text NOT NULL,
    owner_since             timestamptz NOT NULL,
    received_on             date NOT NULL,            -- CUS-6: the day of the first event
    entered_late            boolean NOT NULL,         -- CUS-6: after the next working day
    last_event_at           timestamptz NOT NULL,     -- CUS-4
    event_count             bigint NOT NULL DEFAULT 0,
    version                 bigint NOT NULL DEFAULT 1,
    created_by              text NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    archived_at             timestamptz
);
-- CUS-3: one live record per phone and project. Whichever INSERT commits first wins; the others
-- meet ON CONFLICT and become collisions (race-safe without locks in the application).
CREATE UNIQUE INDEX customers_project_phone ON customers (project_id, phone)
    WHERE archived_at IS NULL;
CREATE INDEX customers_owner ON customers (owner_id) WHERE archived_at IS NULL;
CREATE INDEX customers_project_last_event ON customers (project_id, last_event_at);

-- CUS-2/4/10 customer events.
CREATE TABLE customer_events (
    id            uuid PRIMARY KEY,
    customer_id   uuid NOT NULL REFERENCES customers (id),
    project_id    uuid NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('visit', 'call_in', 'call_out', 'follow_up',
                                                'event_attended', 'complaint', 'survey',
                                                'post_purchase_visit')),
    occurred_at   timestamptz NOT NULL,
    rep_id        text NOT NULL,
    channel       text NOT NULL
                  CHECK (channel IN ('visit', 'call', 'online', 'referral', 'event')),
    note          text,
    satisfaction  integer CHECK (satisfaction BETWEEN 1 AND 5),
    late          boolean NOT NULL DEFAULT false,  -- CUS-6
    recorded_by   text NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX customer_events_customer ON customer_events (customer_id, occurred_at);
CREATE INDEX customer_events_project ON customer_events (project_id, occurred_at);

-- CUS-3 collisions (撞单): a later rep's attempt, kept for the sales manager. `attempt` is the
-- request as sent (it holds PII and is never returned unmasked).
CREATE TABLE collisions (
    id               uuid PRIMARY KEY,
    project_id       uuid NOT NULL,
    customer_id      uuid NOT NULL REFERENCES customers (id),
    owner_id         text NOT NULL,
    claimant_id      text NOT NULL,
    attempt          jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'confirmed', 'reassigned')),
    resolved_by      text,
    resolution_note  text,
    resolved_at      timestamptz,
    recorded_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX collisions_open ON collisions (project_id, recorded_at) WHERE status = 'open';

-- Every change of owner (CUS-3/4/5), append-only.
CREATE TABLE ownership_history (
    id           bigserial PRIMARY KEY,
    customer_id  uuid NOT NULL REFERENCES customers (id),
    from_owner   text,
    to_owner     text NOT NULL,
    cause        text NOT NULL CHECK (cause IN ('created', 'reassigned', 'collision',
                                                'departure')),
    reason       text,
    actor        text NOT NULL,
    at           timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ownership_history_customer ON ownership_history (customer_id, id);

-- Every change of stage, append-only; source_event_id is the consumed event when one caused it.
CREATE TABLE stage_history (
    id               bigserial PRIMARY KEY,
    customer_id      uuid NOT NULL REFERENCES customers (id),
    from_stage       text NOT NULL,
    to_stage         text NOT NULL,
    cause            text NOT NULL,
    source_event_id  uuid,
    actor            text NOT NULL,
    reason           text,
    at               timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX stage_history_customer ON stage_history (customer_id, id);

-- Deals learned from contract.subscription.* and contract.signed (CUS-7 is checked per deal).
-- customer_id has no foreign key: contract may name a customer this service never recorded.
CREATE TABLE deals (
    subscription_id    uuid PRIMARY KEY,
    contract_id        uuid UNIQUE,
    customer_id        uuid NOT NULL,
    project_id         uuid NOT NULL,
    rep_id             text NOT NULL,
    status             text NOT NULL CHECK (status IN ('subscribed', 'cancelled', 'signed')),
    signed_at          timestamptz,
    exception_note     text,
    exception_by       text,
    exception_at       timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deals_customer ON deals (customer_id);

-- CUS-8: every read of full PII by someone other than the owner.
CREATE TABLE pii_access_log (
    id           bigserial PRIMARY KEY,
    customer_id  uuid NOT NULL,
    reader_id    text NOT NULL,
    reader_roles text NOT NULL,
    route        text NOT NULL,
    request_id   text NOT NULL,
    read_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX pii_access_log_customer ON pii_access_log (customer_id, id);

-- CUS-9 corrections asked for by customers (SEC-2: who, when, why; old value kept).
CREATE TABLE corrections (
    id            uuid PRIMARY KEY,
    customer_id   uuid NOT NULL REFERENCES customers (id),
    field         text NOT NULL,
    old_value     text,
    new_value     text,
    reason        text NOT NULL,
    requested_by  text NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX corrections_customer ON corrections (customer_id, recorded_at);

-- CUS-9 archive: the full record and its events as they were, kept as a backup copy.
CREATE TABLE customer_archive (
    id           bigserial PRIMARY KEY,
    customer_id  uuid NOT NULL REFERENCES customers (id),
    snapshot     jsonb NOT NULL,
    archived_by  text NOT NULL,
    archived_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX customer_archive_customer ON customer_archive (customer_id);

-- CUS-5 departures: a leaver's customers must be reassigned by the deadline; listed until done.
CREATE TABLE departures (
    id            uuid PRIMARY KEY,
    rep_id        text NOT NULL,
    reason        text NOT NULL,
    deadline      timestamptz NOT NULL,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    completed_at  timestamptz
);
CREATE UNIQUE INDEX departures_open_rep ON departures (rep_id) WHERE completed_at IS NULL;

-- CUS-10 complaints.
CREATE TABLE complaints (
    id                   uuid PRIMARY KEY,
    customer_id          uuid NOT NULL REFERENCES customers (id),
    project_id           uuid NOT NULL,
    category             text NOT NULL CHECK (category IN ('quality', 'delivery', 'service',
                                                           'contract', 'payment', 'property',
                                                           'other')),
    description          text NOT NULL,
    received_on          date NOT NULL,
    first_response_due   date NOT NULL,
    final_due            date NOT NULL,
    status               text NOT NULL DEFAULT 'open'
                         CHECK (status IN ('open', 'responded', 'resolved')),
    first_response       text,
    first_responded_by   text,
    first_responded_at   timestamptz,
    result               text,
    resolved_by          text,
    resolved_at          timestamptz,
    created_by           text NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    version              bigint NOT NULL DEFAULT 1
);
CREATE INDEX complaints_project_status ON complaints (project_id, status);

-- The key of the anonymised export's pseudonymous ids (CUS-8): random, made once, never
-- exported, so the same customer gets the same pseudonym in every export.
CREATE TABLE service_keys (
    name   text PRIMARY KEY,
    value  text NOT NULL
);
INSERT INTO service_keys (name, value)
VALUES ('export_pseudonym', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
