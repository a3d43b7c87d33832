-- Subscription settings of issue #13: absolute target prices in USD per 1M tokens ("below $1 per 1M input"), matched
-- when a price crosses them, and how changes are grouped into messages: 'model' (every metric of one model that one
-- check moved, in one message), 'event' (one message per event, the webhook contract) or NULL for the channel's
-- default (webhooks per event, email, Slack and Discord per model).
ALTER TABLE alert_subscription ADD COLUMN target_below ${exact_decimal};
ALTER TABLE alert_subscription ADD COLUMN target_above ${exact_decimal};
ALTER TABLE alert_subscription ADD COLUMN message_grouping VARCHAR(10);
