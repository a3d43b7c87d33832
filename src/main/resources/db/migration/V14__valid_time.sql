-- Valid time: a point may be for a time other than the check that recorded it (a weekly usage value is for its
-- ISO week, named by its Monday; an announced price takes effect at a later date). NULL: valid from the check.
ALTER TABLE price_point ADD COLUMN valid_from TIMESTAMP WITH TIME ZONE;
-- An event that is recorded and listed but never sent to subscribers (history a first check found on the page,
-- or a revision of a week already recorded).
ALTER TABLE change_event ADD COLUMN notify BOOLEAN DEFAULT TRUE NOT NULL;
