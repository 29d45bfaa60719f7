-- Rollups: aggregates of the current respondents at the grain the dashboard
-- filters need (survey day x region x gender x work type, and the same x
-- product), so that a chart adds up a few cells instead of scanning every
-- respondent. They are kept in step with the current-state tables in the
-- transaction of every commit and undo (rollups.go), and filled here from
-- the rows an existing database already holds (the migration's fill step in
-- db.go). A cell with no respondents is not kept.
--
-- gender and product are '' where the respondent's is not stated (NULL in
-- respondents): the key columns are never NULL, so cells join on plain
-- equality.

CREATE TABLE respondent_cells (
    survey_date DATE NOT NULL,
    region      TEXT NOT NULL,
    gender      TEXT NOT NULL,
    work_type   TEXT NOT NULL,
    respondents BIGINT NOT NULL,
    -- per problem a..i: Ya, and Ya + Tidak (answered)
    a_yes BIGINT NOT NULL, a_answered BIGINT NOT NULL,
    b_yes BIGINT NOT NULL, b_answered BIGINT NOT NULL,
    c_yes BIGINT NOT NULL, c_answered BIGINT NOT NULL,
    d_yes BIGINT NOT NULL, d_answered BIGINT NOT NULL,
    e_yes BIGINT NOT NULL, e_answered BIGINT NOT NULL,
    f_yes BIGINT NOT NULL, f_answered BIGINT NOT NULL,
    g_yes BIGINT NOT NULL, g_answered BIGINT NOT NULL,
    h_yes BIGINT NOT NULL, h_answered BIGINT NOT NULL,
    i_yes BIGINT NOT NULL, i_answered BIGINT NOT NULL,
    -- respondents stating a monthly wage, the sum of those wages, and how many
    -- of them are below the UMK of the region for the survey's year (or the
    -- latest year before it) as the regions table has it now: a change to a
    -- region's UMK rebuilds that region's cells.
    wages       BIGINT NOT NULL,
    wage_sum    BIGINT NOT NULL,
    below_umk   BIGINT NOT NULL
);

CREATE TABLE product_cells (
    survey_date DATE NOT NULL,
    region      TEXT NOT NULL,
    gender      TEXT NOT NULL,
    work_type   TEXT NOT NULL,
    product     TEXT NOT NULL, -- as stored: spellings are folded when read
    respondents BIGINT NOT NULL
);
