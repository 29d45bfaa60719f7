-- Who committed an import beside who uploaded it: an admin may click Impor on
-- another user's upload. Imports before this migration were committed by
-- their uploader.
ALTER TABLE imports ADD COLUMN committed_by TEXT;
UPDATE imports SET committed_by = uploaded_by;
