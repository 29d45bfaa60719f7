-- What people did with access: share links made, opened and revoked, wrong
-- link passwords, scopes changed, and requests refused for a region outside
-- the user's scope. Read by admins at /admin/audit.
CREATE SEQUENCE audit_ids START 1;

CREATE TABLE audit (
    id     BIGINT PRIMARY KEY,
    at_time TIMESTAMPTZ NOT NULL,
    who    TEXT NOT NULL,  -- a user name, or "" for a link's visitor
    action TEXT NOT NULL,  -- share_created, share_opened, share_revoked, share_password_wrong, scope_changed, scope_refused
    detail TEXT NOT NULL,
    remote TEXT NOT NULL
);
