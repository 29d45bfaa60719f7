-- Targets: the program's plan, per indicator, region and period (WORKBOOKS.md,
-- "Targets workbook"). Stored like every other kind: a version per row per
-- import, and the current state refreshed on every commit and undo.
--
-- key: indicator|region|period, case-folded; region is NULL for a
-- program-wide target. period is the canonical form ("2014-10", "2014-Q4",
-- "2015-H1", "2015"), start_date and end_date its first and last day. target
-- is a number >= 0; for a share indicator, a fraction 0..1.
CREATE TABLE target_versions (
    import_id  BIGINT NOT NULL,
    row_number INTEGER NOT NULL,
    key        TEXT NOT NULL,
    indicator  TEXT NOT NULL,
    region     TEXT,
    period     TEXT NOT NULL,
    start_date DATE NOT NULL,
    end_date   DATE NOT NULL,
    target     DOUBLE NOT NULL,
    note       TEXT
);

CREATE TABLE targets AS FROM target_versions LIMIT 0;
