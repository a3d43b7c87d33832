-- When the body named by content_hash was last run through extraction: an unchanged body is extracted again once
-- per UTC day, so dated catalogue prices take effect on their day even when the file does not change.
ALTER TABLE fetch_state ADD COLUMN extracted_at TIMESTAMP WITH TIME ZONE;
