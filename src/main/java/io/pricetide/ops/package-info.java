/**
 * Operating the service: {@link io.pricetide.ops.MetricsVerticle} turns the bus facts (checks ended, changes
 * detected) and the outbox state into the meters of {@link io.pricetide.metrics.Meters}. Placed after {@code alert}
 * and before {@code web} in the package layers.
 */
package io.pricetide.ops;
