-- Target rollups: the respondents and the organizing log added up per scope
-- (a region, or '' for the whole program) and day, for the targets query
-- (targets.go), which reads them as running totals. Kept in step with the
-- current-state tables in the transaction of every commit and undo
-- (rollups.go), and filled here from the rows a database already holds.

-- respondent_days: per scope and Tanggal Survei, the respondents, the women
-- (Jenis Kelamin P), and per problem a..i Ya and Ya + Tidak (answered).
CREATE TABLE respondent_days (
    scope       TEXT NOT NULL,
    day         DATE NOT NULL,
    respondents BIGINT NOT NULL,
    women       BIGINT NOT NULL,
    a_yes BIGINT NOT NULL, a_answered BIGINT NOT NULL,
    b_yes BIGINT NOT NULL, b_answered BIGINT NOT NULL,
    c_yes BIGINT NOT NULL, c_answered BIGINT NOT NULL,
    d_yes BIGINT NOT NULL, d_answered BIGINT NOT NULL,
    e_yes BIGINT NOT NULL, e_answered BIGINT NOT NULL,
    f_yes BIGINT NOT NULL, f_answered BIGINT NOT NULL,
    g_yes BIGINT NOT NULL, g_answered BIGINT NOT NULL,
    h_yes BIGINT NOT NULL, h_answered BIGINT NOT NULL,
    i_yes BIGINT NOT NULL, i_answered BIGINT NOT NULL
);

-- group_days: per scope, measure and day, what the groups' rows change that
-- day. A group (its code compared case-insensitively) counts in a region by
-- its rows there, and in the whole program by all its rows:
--   stage_1 .. stage_6: the groups that first stood at stage N or a later one
--     that day (so the running total on a day is the groups at N or later);
--   members: the change that day's reports of Jumlah Anggota make to the
--     group's latest report (latest by date reached, then stage), so the
--     running total on a day is the sum of the groups' latest reports.
-- Each group's contribution depends only on its own rows, so a commit or an
-- undo recomputes only the groups it touches. A cell whose changes add up to
-- 0 says nothing and is not kept.
CREATE TABLE group_days (
    scope   TEXT NOT NULL,
    measure TEXT NOT NULL,
    day     DATE NOT NULL,
    change  BIGINT NOT NULL
);
