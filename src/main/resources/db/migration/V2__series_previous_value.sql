-- The value a series had before its last change, so a quick return to it is seen as a correction.
ALTER TABLE series ADD COLUMN prev_amount NUMERIC(30, 12);
