-- The check that last wrote the source's series (added, changed, missing, removed, held). A process that kept the
-- series in memory after that check may use them for the next one instead of reading them all back; any other
-- writer moves this id, so the memory is then ignored (HistoryStore, SeriesCache).
ALTER TABLE fetch_state ADD COLUMN series_check BIGINT;
