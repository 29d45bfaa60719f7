-- Share links: a read-only view of one dashboard page with one filter, for
-- anyone holding the link. Only the SHA-256 of the link's token is kept.
CREATE SEQUENCE share_ids START 1;

CREATE TABLE share_links (
    id            BIGINT PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    created_by    TEXT NOT NULL,
    label         TEXT NOT NULL,
    page          TEXT NOT NULL,   -- the dashboard page's path, e.g. /problems
    query         TEXT NOT NULL,   -- its filter, as the page's canonical query string
    regions       VARCHAR[],       -- the creator's scope then; NULL: every region
    password_hash TEXT,            -- bcrypt; NULL: no password
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ,
    revoked_by    TEXT,
    views         BIGINT NOT NULL DEFAULT 0
);
