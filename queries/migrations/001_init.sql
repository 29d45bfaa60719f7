-- Every committed upload is an import batch. Rows are stored as versions tied to
-- their batch; the current-state tables hold, for each key, the newest version
-- from a batch that is still committed. They are refreshed in the transaction
-- that commits or undoes a batch, so dashboards read them directly.

CREATE SEQUENCE import_ids START 1;

CREATE TABLE imports (
    id          BIGINT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('committed', 'undone')),
    undone_at   TIMESTAMPTZ,
    undone_by   TEXT
);

-- What each sheet of an import did, in the order the sheets appear in the file.
CREATE TABLE import_sheets (
    import_id BIGINT NOT NULL,
    position  INTEGER NOT NULL,
    sheet     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    rows      INTEGER NOT NULL,
    new       INTEGER NOT NULL,
    updated   INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    skipped   INTEGER NOT NULL
);

-- key: ID Peserta when given, else name|role|region, case-folded.
CREATE TABLE participant_versions (
    import_id         BIGINT NOT NULL,
    row_number        INTEGER NOT NULL,
    key               TEXT NOT NULL,
    participant_id    TEXT,
    name              TEXT NOT NULL,
    gender            TEXT,
    role              TEXT NOT NULL,
    field_facilitator BOOLEAN NOT NULL,
    region            TEXT,
    training          TEXT,
    training_date     DATE,
    location          TEXT
);

-- key: ID Responden, case-folded. p_a .. p_i are the nine problems (NULL = not answered).
CREATE TABLE respondent_versions (
    import_id     BIGINT NOT NULL,
    row_number    INTEGER NOT NULL,
    key           TEXT NOT NULL,
    respondent_id TEXT NOT NULL,
    survey_date   DATE NOT NULL,
    region        TEXT NOT NULL,
    district      TEXT,
    village       TEXT,
    facilitator   TEXT,
    gender        TEXT,
    age           INTEGER,
    work_type     TEXT NOT NULL,
    product       TEXT,
    monthly_wage  BIGINT,
    p_a BOOLEAN, p_b BOOLEAN, p_c BOOLEAN, p_d BOOLEAN, p_e BOOLEAN,
    p_f BOOLEAN, p_g BOOLEAN, p_h BOOLEAN, p_i BOOLEAN
);

-- key: group code|stage, case-folded. One row per stage a group reached.
CREATE TABLE group_stage_versions (
    import_id   BIGINT NOT NULL,
    row_number  INTEGER NOT NULL,
    key         TEXT NOT NULL,
    group_code  TEXT NOT NULL,
    group_name  TEXT,
    region      TEXT NOT NULL,
    facilitator TEXT,
    stage       INTEGER NOT NULL,
    reached_on  DATE NOT NULL,
    members     INTEGER
);

-- key: region|year, case-folded. The regions of Wilayah sheets, with their UMK;
-- added: the region is not one of the 38 of Jawa Timur pantau knows built in.
CREATE TABLE region_versions (
    import_id  BIGINT NOT NULL,
    row_number INTEGER NOT NULL,
    key        TEXT NOT NULL,
    region     TEXT NOT NULL,
    added      BOOLEAN NOT NULL,
    province   TEXT NOT NULL,
    year       INTEGER,
    umk        BIGINT
);

CREATE TABLE participants AS FROM participant_versions LIMIT 0;
CREATE TABLE respondents  AS FROM respondent_versions  LIMIT 0;
CREATE TABLE group_stages AS FROM group_stage_versions LIMIT 0;
CREATE TABLE regions      AS FROM region_versions      LIMIT 0;
