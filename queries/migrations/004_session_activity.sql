-- What a person sees of their own sessions, and the idle limit: when each
-- session was last used (written at most once a minute) and the client
-- address it was started from. Sessions from before have been used at
-- least when they started.

ALTER TABLE sessions ADD COLUMN last_seen TIMESTAMPTZ;
ALTER TABLE sessions ADD COLUMN client TEXT;
UPDATE sessions SET last_seen = created_at, client = '';
