package io.pricetide.price;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One price read from one source: a model's metric under an optional condition, per 1M tokens, or per the stored
 * unit of the metric's own quantity for a price that is not per token ({@link Metrics#quantity}: per image, per
 * 1,000 web searches, …; {@link #toJson} then adds {@code unit}). A {@link ModelFacts model fact} rides as one too.
 *
 * @param provider who sells the model (as the source says, lower case)
 * @param model the model name exactly as the source names it
 * @param canonicalModel one id per model across sources
 * @param metric {@code input}, {@code output}, {@code cache_read}, {@code cache_write}, …
 * @param condition tier, batch mode, time band or region; empty string when none
 * @param value price per 1M tokens in {@code currency}, exactly as published ({@link Decimals#price} never rounds)
 * @param currency ISO code of the page's own currency
 * @param usdPer1m the same price in USD, or {@code null} where no rate is known
 * @param effectiveFrom the valid time of the value when it is not the check's own time, else {@code null}: the ISO
 *     Monday of the week a weekly usage value is for, or the instant an announced price takes effect. The check
 *     that read it keeps its own observed time.
 */
public record Observation(String provider, String model, String canonicalModel, String metric, String condition,
    BigDecimal value, String currency, BigDecimal usdPer1m, java.time.Instant effectiveFrom) {

  /** A value valid from the check that reads it. */
  public Observation(String provider, String model, String canonicalModel, String metric, String condition,
      BigDecimal value, String currency, BigDecimal usdPer1m) {
    this(provider, model, canonicalModel, metric, condition, value, currency, usdPer1m, null);
  }

  /** The same value, valid from {@code from} (null: from the check). */
  public Observation validFrom(java.time.Instant from) {
    return new Observation(provider, model, canonicalModel, metric, condition, value, currency, usdPer1m, from);
  }

  public Observation {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(currency, "currency");
    condition = condition == null ? "" : condition;
    provider = provider == null ? "" : provider;
    canonicalModel = canonicalModel == null ? model : canonicalModel;
  }

  /** The identity of the series this observation belongs to, within one source. */
  public SeriesKey key() {
    return new SeriesKey(model, metric, condition);
  }

  /** The contract's {@code extract} line. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject()
        .put("provider", provider)
        .put("model", model)
        .put("canonical_model", canonicalModel)
        .put("metric", metric)
        .put("condition", condition.isEmpty() ? null : condition)
        .put("value", Decimals.money(value))
        .put("currency", currency)
        .put("usd_per_1m", Decimals.money(usdPer1m));
    if (effectiveFrom != null) {
      j.put("effective_from", effectiveFrom.toString());
    }
    if (!Metrics.perToken(metric)) {
      j.put("unit", Metrics.quantity(metric).label()); // value and usd_per_1m are per this unit, not per 1M tokens
    }
    return j;
  }

  public static Observation fromJson(JsonObject j) {
    String usd = j.getString("usd_per_1m");
    return new Observation(j.getString("provider"), j.getString("model"), j.getString("canonical_model"),
        j.getString("metric"), j.getString("condition"), new BigDecimal(j.getString("value")),
        j.getString("currency"), usd == null ? null : new BigDecimal(usd),
        j.getString("effective_from") == null ? null : java.time.Instant.parse(j.getString("effective_from")));
  }

  public static JsonArray toJsonArray(List<Observation> list) {
    JsonArray a = new JsonArray();
    list.forEach(o -> a.add(o.toJson()));
    return a;
  }

  public static List<Observation> fromJsonArray(JsonArray a) {
    List<Observation> list = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      list.add(fromJson(a.getJsonObject(i)));
    }
    return list;
  }
}
