-- Organizing rollups: the groups of the organizing log added up at the grain
-- the dashboard filters need when no period is set, kept in step with
-- group_stages in the transaction of every commit and undo (rollups.go).
--
-- A group (its code compared case-insensitively) whose rows all name one
-- region is either wholly inside a region filter or wholly outside it, so
-- its figures can be added up ahead: group_cells counts such groups per
-- region and highest stage, with the sum of their latest reported members,
-- and formed_cells per region and formation date (the first date at stage 4
-- or later). The rare group whose rows name several regions depends on which
-- of them a filter keeps: its rows are kept as they are in split_group_rows,
-- and read from there.

CREATE TABLE group_cells (
    region  TEXT NOT NULL,
    stage   INTEGER NOT NULL, -- the group's highest stage
    groups  BIGINT NOT NULL,
    members BIGINT NOT NULL   -- their latest reported Jumlah Anggota, summed
);

CREATE TABLE formed_cells (
    region    TEXT NOT NULL,
    formed_on DATE NOT NULL,
    groups    BIGINT NOT NULL
);

CREATE TABLE split_group_rows (
    group_key  TEXT NOT NULL,    -- lower(group_code)
    region     TEXT NOT NULL,
    stage      INTEGER NOT NULL,
    reached_on DATE NOT NULL,
    members    INTEGER NOT NULL, -- -1 when not reported
    rows       BIGINT NOT NULL   -- always 1: the row is kept while it counts
);
