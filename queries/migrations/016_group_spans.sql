-- Organizing rollups for a period: what the organizing figures add up when
-- a period cuts a group's rows, kept in step with group_stages in the
-- transaction of every commit and undo (rollups.go), for the groups whose
-- rows all name one region (the others are read from split_group_rows).
--
-- A period [from, to] keeps a group's rows reached within it. The group is
-- then at the highest stage among them: that of its row R reached within
-- the period such that no row of a higher stage is. Of the rows of a higher
-- stage than R's (a group has one row per stage), the latest reached before
-- R's day was reached on the day `after`, the earliest reached after it on
-- the day `until`; so R is that row exactly when
-- after < from <= reached_on <= to < until. A row that shares its day with
-- one of a higher stage never is. group_spans counts the rows per region,
-- stage and those three days: a period selects at most one row of each
-- group, so the counts add up.
--
-- Likewise a group's members are those of its latest row with a member
-- count (by day reached, then stage) within the period: that of a row M
-- reached within it when the next later row with a count was reached after
-- to (on the day `until`). member_spans adds up the members of such rows
-- per region and those two days.
--
-- 0001-01-01 as after and 9999-12-31 as until mean "no such row".

CREATE TABLE group_spans (
    region     TEXT NOT NULL,
    stage      INTEGER NOT NULL,
    after      DATE NOT NULL,
    reached_on DATE NOT NULL,
    until      DATE NOT NULL,
    groups     BIGINT NOT NULL
);

CREATE TABLE member_spans (
    region     TEXT NOT NULL,
    reached_on DATE NOT NULL,
    until      DATE NOT NULL,
    rows       BIGINT NOT NULL,
    members    BIGINT NOT NULL
);
