-- The price table lists prices that are not per token too (#12, #13): a row of a source, model and condition with
-- only per-image, per-second, per-character, per-request or per-call prices (an image or speech model) was left out
-- of price_row. Its token columns stay empty; the page lists its prices in their own units beside them. The
-- metrics are history.PriceRows.METRICS at the time of writing; the rows are rebuilt once.
DELETE FROM price_row;
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
FROM series WHERE active = TRUE AND metric IN ('input', 'output', 'cache_read', 'input_character', 'input_image',
  'input_megapixel', 'input_second', 'output_character', 'output_image', 'output_megapixel', 'output_second',
  'query', 'request', 'web_search')
GROUP BY source_id, model, cond;
