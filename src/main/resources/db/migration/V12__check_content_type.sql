-- The content type a check's fetch declared, kept with the archived body's hash, so a re-extraction decodes the
-- body with the charset its fetch did (earlier checks have none: UTF-8, as before).
ALTER TABLE source_check ADD COLUMN content_type VARCHAR(200);
