-- The current price table (#15, #13): one row per source, model and condition of the active price series, with its
-- input, output and cache-read prices side by side and the blended 3:1 price, kept in the check's transaction
-- (history.PriceRows). The table page sorts, filters and pages these rows in SQL, so a view reads its page only.
-- A row has at least one of the three metrics; usage and exchange-rate series have none and are not here.
CREATE TABLE price_row (
  source_id         VARCHAR(100) NOT NULL,
  model             VARCHAR(300) NOT NULL,
  cond              VARCHAR(200) NOT NULL,
  provider          VARCHAR(100) NOT NULL,
  canonical_model   VARCHAR(300) NOT NULL,
  currency          VARCHAR(3)   NOT NULL,
  input_usd         ${exact_decimal},
  output_usd        ${exact_decimal},
  cache_read_usd    ${exact_decimal},
  blended_usd       ${exact_decimal},
  input_amount      ${exact_decimal},
  output_amount     ${exact_decimal},
  cache_read_amount ${exact_decimal},
  last_changed      TIMESTAMP WITH TIME ZONE NOT NULL,
  search            VARCHAR(1200) NOT NULL,
  CONSTRAINT price_row_key PRIMARY KEY (source_id, model, cond)
);
CREATE INDEX price_row_by_blended ON price_row (blended_usd);
CREATE INDEX price_row_by_input ON price_row (input_usd);
CREATE INDEX price_row_by_output ON price_row (output_usd);
CREATE INDEX price_row_by_canonical ON price_row (canonical_model);
CREATE INDEX price_row_by_provider ON price_row (provider);
-- The rows of the history so far; PriceRows.SELECT is the same statement.
INSERT INTO price_row (source_id, model, cond, provider, canonical_model, currency, input_usd, output_usd,
    cache_read_usd, blended_usd, input_amount, output_amount, cache_read_amount, last_changed, search)
SELECT source_id, model, cond, MAX(provider), MAX(canonical_model), MAX(currency),
  MAX(CASE WHEN metric = 'input' THEN usd_per_1m END),
  MAX(CASE WHEN metric = 'output' THEN usd_per_1m END),
  MAX(CASE WHEN metric = 'cache_read' THEN usd_per_1m END),
  (3 * MAX(CASE WHEN metric = 'input' THEN usd_per_1m END) + MAX(CASE WHEN metric = 'output' THEN usd_per_1m END))
    * 0.25,
  MAX(CASE WHEN metric = 'input' THEN amount END),
  MAX(CASE WHEN metric = 'output' THEN amount END),
  MAX(CASE WHEN metric = 'cache_read' THEN amount END),
  MAX(last_changed),
  LOWER(CONCAT(MAX(provider), ' ', model, ' ', MAX(canonical_model), ' ', source_id, ' ', cond))
FROM series WHERE active = TRUE AND metric IN ('input', 'output', 'cache_read')
GROUP BY source_id, model, cond;
