package io.pricetide.alert;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The words of a workload message, read from its stored event: the headline every channel leads with, and the
 * monthly costs as people read them. Plain text; each channel escapes it its own way.
 */
final class WorkloadLines {
  /** The {@code type} of the webhook body and the {@code Pricetide-Event} header. */
  static final String WEBHOOK_TYPE = "workload.changed";

  private final JsonObject event;

  WorkloadLines(Job job) {
    this.event = new JsonObject(job.payload());
  }

  JsonObject event() {
    return event;
  }

  JsonObject now() {
    return event.getJsonObject("new");
  }

  JsonObject was() {
    return event.getJsonObject("old");
  }

  /** The change in percent, signed with a true minus ({@code −36.00%}); empty when the old cost was zero. */
  String pct() {
    String p = event.getString("change_pct");
    return p == null ? "" : Formats.pct(new BigDecimal(p));
  }

  /**
   * "Cheapest for your workload is now Acme Small (acme): $3.30/month, was Acme Large $48.00/month (−93.13%)";
   * the old model's name is left out when it is the same model.
   */
  String headline() {
    StringBuilder b = new StringBuilder("Cheapest for your workload is now ").append(name(now())).append(": ")
        .append(monthly(now())).append("/month, was ");
    if (!now().getString("canonical_model").equals(was().getString("canonical_model"))) {
      b.append(was().getString("model")).append(' ');
    }
    b.append(monthly(was())).append("/month");
    String p = pct();
    if (!p.isEmpty()) {
      b.append(" (").append(p).append(')');
    }
    return b.toString();
  }

  private static String name(JsonObject place) {
    String provider = place.getString("provider");
    return place.getString("model") + (provider == null || provider.isBlank() ? "" : " (" + provider + ")");
  }

  /** A monthly cost: cents ({@code $3.30}), or every digit below a cent ({@code $0.0045}). */
  static String monthly(JsonObject place) {
    BigDecimal m = decimal(place, "monthly_usd");
    if (m == null) {
      return "\u2014";
    }
    return m.abs().compareTo(new BigDecimal("0.01")) >= 0 ? "$" + m.setScale(2, RoundingMode.HALF_UP).toPlainString()
        : Formats.usd(m);
  }

  static BigDecimal decimal(JsonObject o, String key) {
    String v = o.getString(key);
    return v == null ? null : new BigDecimal(v);
  }
}
