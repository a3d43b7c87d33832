package io.pricetide.cli;

import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The lines the {@code extract} verb prints. */
final class ExtractLines {
  private ExtractLines() {}

  /**
   * One observation in the contract's shape, plus {@code period} (the ISO Monday of its week, {@code YYYY-MM-DD})
   * for a weekly usage value, which is valid from that Monday rather than from the check. Other lines are
   * {@link Observation#toJson} unchanged.
   */
  static JsonObject line(Observation o) {
    JsonObject j = o.toJson();
    if (o.effectiveFrom() != null && Metrics.WEEKLY.contains(o.metric())) {
      j.put("period", LocalDate.ofInstant(o.effectiveFrom(), ZoneOffset.UTC).toString());
    }
    return j;
  }
}
