-- Indexes of the read path (#15): no answer of the API or the price table reads all history.
-- A series' points in time order, ties by id: timelines, from/to ranges and point-in-time reads walk this index
-- instead of sorting. It replaces price_point_by_series (series_id, observed_at), whose prefix it is.
DROP INDEX price_point_by_series;
CREATE INDEX price_point_by_series_time ON price_point (series_id, observed_at, id);
-- The current price table and /api/prices: active series in their listing order, paged by that key.
CREATE INDEX series_by_listing ON series (active, provider, canonical_model, metric, cond, source_id);
-- The latest change of one table row (source, model, condition) by time.
CREATE INDEX change_event_by_row ON change_event (source_id, model, observed_at);
