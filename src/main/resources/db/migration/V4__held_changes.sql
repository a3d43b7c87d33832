-- A suspect change (unit flip, fall to zero, currency flip) is held back; these remember the held value and how
-- many consecutive checks have shown it, so a value that persists is accepted as a correction.
ALTER TABLE series ADD COLUMN held_amount NUMERIC(30, 12);
ALTER TABLE series ADD COLUMN held_currency VARCHAR(3);
ALTER TABLE series ADD COLUMN held_checks INTEGER DEFAULT 0 NOT NULL;
