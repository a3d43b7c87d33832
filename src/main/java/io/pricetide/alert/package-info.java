/**
 * Alerting: subscriptions and their filters and baselines, the matcher that turns change events into outbox rows
 * in one transaction, the delivery workers with retries and dead letters, notifiers per channel (email, webhook,
 * Slack, Discord), templates, signed tokens and the HTTP endpoints. See docs/alerts.md.
 */
package io.pricetide.alert;
