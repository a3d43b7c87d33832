/**
 * Metrics: the process's Prometheus registry, Vert.x built with it (HTTP server, event bus, JVM meters), and
 * Pricetide's own meters (checks, events, deliveries, outbox, source freshness), scraped at {@code GET /metrics}.
 * A foundation package: it imports only {@code bus} and {@code config}; the features record into it.
 */
package io.pricetide.metrics;
