package io.pricetide.alert;

import io.pricetide.workload.Workloads;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a workload subscription watches: a month of tokens with the calculator's filters, and when the first place
 * of its ranking is worth a message.
 *
 * @param workload the workload, as the calculator parses it ({@link Workloads.Workload#parse})
 * @param onCheapestChange tell when another model becomes the cheapest
 * @param fallPercent tell when the cheapest's monthly cost falls by at least this many percent from what the
 *     subscriber was last told (or the first baseline); null for no such trigger
 */
record WorkloadAlert(Workloads.Workload workload, boolean onCheapestChange, BigDecimal fallPercent) {
  private static final Set<String> TRIGGER_KEYS = Set.of("cheapest_changes", "falls_percent");

  /**
   * Reads the API's {@code workload} (the calculator's parameters: strings, numbers or booleans) and
   * {@code trigger} ({@code cheapest_changes}, default true; {@code falls_percent}, optional); throws
   * {@link IllegalArgumentException} with a message for the client.
   */
  static WorkloadAlert fromRequest(Object workload, Object trigger) {
    if (!(workload instanceof JsonObject w)) {
      throw new IllegalArgumentException("workload must be an object of the calculator's parameters, like "
          + "{\"in\": \"10M\", \"out\": \"2M\"}");
    }
    for (String k : w.fieldNames()) {
      if (!Workloads.PARAMETERS.contains(k)) {
        throw new IllegalArgumentException("workload: unknown key '" + k + "' (allowed: " + String.join(", ",
            new TreeSet<>(Workloads.PARAMETERS)) + ")");
      }
    }
    Workloads.Workload parsed;
    try {
      parsed = Workloads.Workload.parse(name -> text(w, name));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("workload: " + e.getMessage());
    }
    if (parsed.input() == 0 && parsed.cachedInput() == 0 && parsed.output() == 0) {
      throw new IllegalArgumentException("workload: no tokens asked for; give in, cached or out");
    }
    boolean onChange = true;
    BigDecimal fall = null;
    if (trigger != null) {
      if (!(trigger instanceof JsonObject t)) {
        throw new IllegalArgumentException("trigger must be an object like {\"cheapest_changes\": true, "
            + "\"falls_percent\": 20}");
      }
      for (String k : t.fieldNames()) {
        if (!TRIGGER_KEYS.contains(k)) {
          throw new IllegalArgumentException("trigger: unknown key '" + k + "' (allowed: cheapest_changes, "
              + "falls_percent)");
        }
      }
      Object c = t.getValue("cheapest_changes");
      if (c != null && !(c instanceof Boolean)) {
        throw new IllegalArgumentException("trigger.cheapest_changes must be true or false");
      }
      onChange = c == null || (Boolean) c;
      fall = percent(t.getValue("falls_percent"));
    }
    if (!onChange && fall == null) {
      throw new IllegalArgumentException("trigger: nothing to tell of; set cheapest_changes or falls_percent");
    }
    return new WorkloadAlert(parsed, onChange, fall);
  }

  private static BigDecimal percent(Object v) {
    if (v == null) {
      return null;
    }
    BigDecimal d;
    try {
      d = new BigDecimal(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("trigger.falls_percent must be a number of percent, such as 20");
    }
    if (d.signum() <= 0 || d.compareTo(BigDecimal.valueOf(100)) >= 0) {
      throw new IllegalArgumentException("trigger.falls_percent must be above 0 and below 100");
    }
    return d.stripTrailingZeros();
  }

  /** A parameter as text: a string as it is, a number in plain notation, a boolean as 1 or 0. */
  private static String text(JsonObject w, String name) {
    Object v = w.getValue(name);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    if (v instanceof Boolean b) {
      return b ? "1" : "0";
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString()).toPlainString();
    }
    throw new IllegalArgumentException("workload: '" + name + "' must be a string or a number");
  }

  /** The stored form (and the API's): {@code {"workload": {parameters}, "trigger": {…}}}. */
  JsonObject toJson() {
    JsonObject params = new JsonObject();
    workload.parameters().forEach(params::put);
    return new JsonObject().put("workload", params).put("trigger", new JsonObject()
        .put("cheapest_changes", onCheapestChange)
        .put("falls_percent", fallPercent == null ? null : fallPercent.toPlainString()));
  }

  /** Reads the stored form back. */
  static WorkloadAlert fromJson(String json) {
    JsonObject j = new JsonObject(json);
    return fromRequest(j.getJsonObject("workload"), j.getJsonObject("trigger"));
  }

  /** For people, as the confirmation email says what was asked for. */
  String describe() {
    String when = onCheapestChange && fallPercent != null
        ? "changes, or its monthly cost falls by " + fallPercent.toPlainString() + "% or more"
        : onCheapestChange ? "changes" : "costs " + fallPercent.toPlainString() + "% less a month, or less still";
    return "when the cheapest model for your workload (" + workload.describe() + ") " + when;
  }
}
