-- When a check last confirmed the source's current values: an extraction applied, or a body unchanged since the
-- last one. An unchanged check moves only this, so it writes one row however many series the source has; the
-- last-seen time of a series still present is the later of its own last_seen and this (see HistoryStore.LAST_SEEN).
ALTER TABLE fetch_state ADD COLUMN seen_at TIMESTAMP WITH TIME ZONE;
