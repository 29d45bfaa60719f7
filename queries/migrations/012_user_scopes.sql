-- A user's scope: NULL sees every region (program staff); a list sees only
-- those regions, in every page, chart, download and API answer.
ALTER TABLE users ADD COLUMN regions VARCHAR[];
