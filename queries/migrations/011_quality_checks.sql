-- Quality flags a person has checked (`pantau quality check`, the Kualitas data
-- page). A flag is computed from the current rows each time; a check holds
-- while the flagged value is the one checked, so an import that changes the
-- value opens the flag again, and undoing that import closes it once more.
CREATE TABLE quality_checks (
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL, -- the flag's value when it was checked
    note       TEXT NOT NULL,
    checked_by TEXT NOT NULL,
    checked_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, key)
);
