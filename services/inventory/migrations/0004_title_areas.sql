-- CON-10 title areas 产权面积: survey batches per building (recorded by the handover clerk,
-- checked by the sales manager), then fixed on the units. A later approved batch for the same
-- unit (a corrected survey) replaces the unit's title areas; every batch stays.
CREATE TABLE title_area_surveys (
    id             uuid PRIMARY KEY,
    project_id     uuid NOT NULL REFERENCES projects (id),
    building_id    uuid NOT NULL REFERENCES buildings (id),
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'rejected')),
    note           text NOT NULL,
    recorded_by    text NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    decided_by     text NULL,
    decided_at     timestamptz NULL,
    decision_note  text NULL
);
CREATE INDEX title_area_surveys_building_idx ON title_area_surveys (building_id, recorded_at);

CREATE TABLE title_area_items (
    survey_id               uuid NOT NULL REFERENCES title_area_surveys (id),
    unit_id                 uuid NOT NULL REFERENCES units (id),
    gross_area_centi_m2     bigint NOT NULL CHECK (gross_area_centi_m2 > 0),
    internal_area_centi_m2  bigint NOT NULL CHECK (internal_area_centi_m2 > 0),
    PRIMARY KEY (survey_id, unit_id),
    CHECK (internal_area_centi_m2 <= gross_area_centi_m2)
);

ALTER TABLE units
    ADD COLUMN title_gross_area_centi_m2 bigint NULL CHECK (title_gross_area_centi_m2 > 0),
    ADD COLUMN title_internal_area_centi_m2 bigint NULL CHECK (title_internal_area_centi_m2 > 0),
    ADD COLUMN title_survey_id uuid NULL REFERENCES title_area_surveys (id);
