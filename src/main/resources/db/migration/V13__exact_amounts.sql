-- Amounts are kept exactly as published (issue #12): no fixed scale. ${exact_decimal} is the type that keeps every
-- decimal with its own scale: NUMERIC without precision on PostgreSQL, DECFLOAT on H2 (H2's plain NUMERIC is
-- NUMERIC(100000, 0) outside PostgreSQL mode); Database sets it per database. Existing values convert unchanged
-- (they read back with the old scale's trailing zeros, which Rows.amount strips). Percentages keep NUMERIC(14, 2).
ALTER TABLE series ALTER COLUMN amount SET DATA TYPE ${exact_decimal};
ALTER TABLE series ALTER COLUMN usd_per_1m SET DATA TYPE ${exact_decimal};
ALTER TABLE series ALTER COLUMN prev_amount SET DATA TYPE ${exact_decimal};
ALTER TABLE series ALTER COLUMN held_amount SET DATA TYPE ${exact_decimal};
ALTER TABLE price_point ALTER COLUMN amount SET DATA TYPE ${exact_decimal};
ALTER TABLE price_point ALTER COLUMN usd_per_1m SET DATA TYPE ${exact_decimal};
ALTER TABLE change_event ALTER COLUMN old_usd SET DATA TYPE ${exact_decimal};
ALTER TABLE change_event ALTER COLUMN new_usd SET DATA TYPE ${exact_decimal};
ALTER TABLE change_event ALTER COLUMN old_amount SET DATA TYPE ${exact_decimal};
ALTER TABLE change_event ALTER COLUMN new_amount SET DATA TYPE ${exact_decimal};
ALTER TABLE catalogue_drift ALTER COLUMN catalogue_usd SET DATA TYPE ${exact_decimal};
ALTER TABLE catalogue_drift ALTER COLUMN vendor_usd SET DATA TYPE ${exact_decimal};
ALTER TABLE alert_baseline ALTER COLUMN amount SET DATA TYPE ${exact_decimal};
ALTER TABLE alert_baseline ALTER COLUMN usd_per_1m SET DATA TYPE ${exact_decimal};
ALTER TABLE alert_delivery ALTER COLUMN baseline_usd SET DATA TYPE ${exact_decimal};
ALTER TABLE alert_digest_item ALTER COLUMN baseline_usd SET DATA TYPE ${exact_decimal};
