-- Report packs (报表包): the workbooks made on schedule (daily, weekly, monthly; Asia/Shanghai
-- periods) or on request, one per project and period, kept for download. Not part of the read
-- model: a rebuild by replay keeps them.
CREATE TABLE report_packs (
    pack_id       uuid PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('daily', 'weekly', 'monthly')),
    period_from   date NOT NULL,
    period_to     date NOT NULL,
    project_id    uuid NOT NULL,
    file_name     text NOT NULL,           -- with .xlsx
    sheets        int NOT NULL,
    data_rows     bigint NOT NULL,         -- rows over every sheet, headers and totals not counted
    size_bytes    bigint NOT NULL,
    content       bytea NOT NULL,
    generated_at  timestamptz NOT NULL DEFAULT now(),
    generated_by  text NOT NULL,           -- 'schedule', or the user who asked for it
    UNIQUE (kind, period_from, project_id)
);
CREATE INDEX report_packs_listing_idx ON report_packs (project_id, period_from DESC);
