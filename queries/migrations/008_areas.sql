-- The official area catalogue (WORKBOOKS.md, "Regions" and "Kecamatan and
-- Desa/Kelurahan"): a region, kecamatan or desa that matched it is stored
-- under its official name with its official code beside it ("35.09",
-- "35.09.01", "35.09.01.2001"); NULL when it matched nothing, such as a
-- region a Wilayah sheet added. Columns are added at the end of both the
-- versions and the current tables, which keep the same column order.
ALTER TABLE participant_versions ADD COLUMN region_code TEXT;
ALTER TABLE participants         ADD COLUMN region_code TEXT;
ALTER TABLE respondent_versions  ADD COLUMN region_code TEXT;
ALTER TABLE respondent_versions  ADD COLUMN district_code TEXT;
ALTER TABLE respondent_versions  ADD COLUMN village_code TEXT;
ALTER TABLE respondents          ADD COLUMN region_code TEXT;
ALTER TABLE respondents          ADD COLUMN district_code TEXT;
ALTER TABLE respondents          ADD COLUMN village_code TEXT;
ALTER TABLE group_stage_versions ADD COLUMN region_code TEXT;
ALTER TABLE group_stages         ADD COLUMN region_code TEXT;
ALTER TABLE region_versions      ADD COLUMN region_code TEXT;
ALTER TABLE regions              ADD COLUMN region_code TEXT;
ALTER TABLE target_versions      ADD COLUMN region_code TEXT;
ALTER TABLE targets              ADD COLUMN region_code TEXT;

-- The regions an existing database holds get their codes once, from the
-- catalogue ingest embeds (queries cannot read it): this row says that is
-- still to do, and FillRegionCodes removes it. Kecamatan and desa stored
-- before keep their names as written and no code: nothing else changes.
CREATE TABLE pending_fills (name TEXT PRIMARY KEY);
INSERT INTO pending_fills VALUES ('region_codes');

-- Settings an admin changes (pantau settings, /admin/settings): the
-- program's provinces, for one. A setting never set has its default.
CREATE TABLE settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
