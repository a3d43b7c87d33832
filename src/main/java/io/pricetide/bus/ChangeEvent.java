package io.pricetide.bus;

import io.pricetide.price.Decimals;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One detected event, as the contract prints it. Money is USD per 1M tokens ({@code old}, {@code new}); the
 * source's own currency values ride along as {@code old_value}, {@code new_value} and {@code currency}, and
 * {@code change_pct} is computed on those, so an exchange-rate move is never a price change. Source-health events
 * ({@code source_failure}) carry {@code stage} and {@code reason} and no model. An announced price carries the time
 * it takes effect ({@code effectiveFrom}, JSON {@code effective_from}): on {@code price_announced} (old: the price
 * now, new: the announced one), {@code announcement_withdrawn} and the {@code price_cut}/{@code price_increase}
 * that carries it out at that time; null on every other event.
 */
public record ChangeEvent(long id, String kind, String sourceId, String provider, String model,
    String canonicalModel, String metric, String condition, BigDecimal oldUsd, BigDecimal newUsd,
    BigDecimal oldValue, BigDecimal newValue, String currency, BigDecimal changePct, Instant observedAt,
    String stage, String reason, boolean toSubscribers, Instant effectiveFrom) {

  /** An event with no effective time of its own. */
  public ChangeEvent(long id, String kind, String sourceId, String provider, String model, String canonicalModel,
      String metric, String condition, BigDecimal oldUsd, BigDecimal newUsd, BigDecimal oldValue, BigDecimal newValue,
      String currency, BigDecimal changePct, Instant observedAt, String stage, String reason, boolean toSubscribers) {
    this(id, kind, sourceId, provider, model, canonicalModel, metric, condition, oldUsd, newUsd, oldValue, newValue,
        currency, changePct, observedAt, stage, reason, toSubscribers, null);
  }

  /** An event subscribers hear of ({@code toSubscribers}). */
  public ChangeEvent(long id, String kind, String sourceId, String provider, String model, String canonicalModel,
      String metric, String condition, BigDecimal oldUsd, BigDecimal newUsd, BigDecimal oldValue, BigDecimal newValue,
      String currency, BigDecimal changePct, Instant observedAt, String stage, String reason) {
    this(id, kind, sourceId, provider, model, canonicalModel, metric, condition, oldUsd, newUsd, oldValue, newValue,
        currency, changePct, observedAt, stage, reason, true);
  }

  public static final String PRICE_CUT = "price_cut";
  public static final String PRICE_INCREASE = "price_increase";
  public static final String MODEL_ADDED = "model_added";
  public static final String MODEL_REMOVED = "model_removed";
  public static final String METRIC_ADDED = "metric_added";
  public static final String METRIC_REMOVED = "metric_removed";
  public static final String PRICE_CORRECTION = "price_correction";
  public static final String SOURCE_FAILURE = "source_failure";
  /** A model the page renamed, its prices unchanged: recorded, never sent to subscribers. */
  public static final String MODEL_RENAMED = "model_renamed";
  public static final String OVERTAKE = "overtake";
  public static final String RANK_CHANGE = "rank_change";
  public static final String SHARE_CHANGE = "usage_share_change";
  /** A week's usage value that the source later published differently: recorded, never sent to subscribers. */
  public static final String USAGE_REVISED = "usage_revised";
  /** A price the source announces for a later time ({@code effective_from}); the change follows at that time. */
  public static final String PRICE_ANNOUNCED = "price_announced";
  /** An announced price the source no longer announces before its time: it will not take effect. */
  public static final String ANNOUNCEMENT_WITHDRAWN = "announcement_withdrawn";
  public static final String UNIT = "USD/1M tokens";
  /**
   * A model's retirement announced by a source, or its date moved: {@code old}/{@code new} are ISO dates (unit
   * {@code date}; {@code old} null when first seen), stored as {@code yyyymmdd} in the own-currency amounts.
   */
  public static final String MODEL_DEPRECATED = "model_deprecated";

  public ChangeEvent withCondition(String newCondition) {
    return new ChangeEvent(id, kind, sourceId, provider, model, canonicalModel, metric, newCondition, oldUsd, newUsd,
        oldValue, newValue, currency, changePct, observedAt, stage, reason, toSubscribers, effectiveFrom);
  }

  /** The same event, for a change that takes (or took) effect at {@code at}. */
  public ChangeEvent effectiveAt(Instant at) {
    return new ChangeEvent(id, kind, sourceId, provider, model, canonicalModel, metric, condition, oldUsd, newUsd,
        oldValue, newValue, currency, changePct, observedAt, stage, reason, toSubscribers, at);
  }

  /**
   * The same event, recorded and listed but never sent to subscribers: a week that completed before the source's
   * first check (history the page carried), or a revision of a week already recorded.
   */
  public ChangeEvent quiet() {
    return new ChangeEvent(id, kind, sourceId, provider, model, canonicalModel, metric, condition, oldUsd, newUsd,
        oldValue, newValue, currency, changePct, observedAt, stage, reason, false, effectiveFrom);
  }

  /** True for the usage kinds, whose values are shares or ranks rather than money. */
  public boolean isUsage() {
    return isUsage(kind);
  }

  private static boolean isUsage(String kind) {
    return kind.equals(OVERTAKE) || kind.equals(RANK_CHANGE) || kind.equals(SHARE_CHANGE)
        || kind.equals(USAGE_REVISED);
  }

  public ChangeEvent withId(long newId) {
    return new ChangeEvent(newId, kind, sourceId, provider, model, canonicalModel, metric, condition, oldUsd, newUsd,
        oldValue, newValue, currency, changePct, observedAt, stage, reason, toSubscribers, effectiveFrom);
  }

  public static ChangeEvent sourceFailure(String sourceId, String stage, String reason, Instant at) {
    return new ChangeEvent(0, SOURCE_FAILURE, sourceId, null, null, null, null, null, null, null, null, null, null,
        null, at, stage, reason);
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject()
        .put("id", String.valueOf(id))
        .put("kind", kind)
        .put("source", sourceId)
        .put("provider", provider)
        .put("model", model)
        .put("canonical_model", canonicalModel)
        .put("metric", metric)
        .put("condition", condition == null || condition.isEmpty() ? null : condition)
        .put("old", isDate() ? date(oldValue) : isUsage() ? usageValue(oldValue) : Decimals.money(oldUsd))
        .put("new", isDate() ? date(newValue) : isUsage() ? usageValue(newValue) : Decimals.money(newUsd))
        .put("unit", isDate() ? "date" : !isUsage() ? io.pricetide.price.Metrics.usdUnit(metric)
            : kind.equals(RANK_CHANGE) ? "rank" : kind.equals(USAGE_REVISED) ? "tokens" : "percent share")
        .put("change_pct", changePct == null ? null : changePct.toPlainString())
        .put("observed_at", observedAt.toString());
    if (currency != null && !isDate()) {
      j.put("currency", currency).put("old_value", Decimals.money(oldValue)).put("new_value", Decimals.money(newValue));
    }
    if (stage != null) {
      j.put("stage", stage);
    }
    if (reason != null) {
      j.put("reason", reason);
    }
    if (!toSubscribers) {
      j.put("to_subscribers", false);
    }
    if (effectiveFrom != null) {
      j.put("effective_from", effectiveFrom.toString());
    }
    return j;
  }

  /** Whether old and new are dates (a retirement date), not prices or usage figures. */
  public boolean isDate() {
    return kind.equals(MODEL_DEPRECATED);
  }

  /** An event date ({@code yyyymmdd}) as ISO text. */
  private static String date(BigDecimal yyyymmdd) {
    return yyyymmdd == null ? null : java.time.LocalDate.parse(yyyymmdd.toBigInteger().toString(),
        java.time.format.DateTimeFormatter.BASIC_ISO_DATE).toString();
  }

  /** An ISO date as stored in an event ({@code yyyymmdd}). */
  public static BigDecimal dateValue(java.time.LocalDate d) {
    return d == null ? null : new BigDecimal(d.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE));
  }

  /** A rank as a whole number, a share in percent with two decimals. */
  private String usageValue(BigDecimal d) {
    if (d == null) {
      return null;
    }
    return kind.equals(USAGE_REVISED) ? d.stripTrailingZeros().toPlainString()
        : d.setScale(kind.equals(RANK_CHANGE) ? 0 : 2, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  public static ChangeEvent fromJson(JsonObject j) {
    String kind = j.getString("kind");
    boolean dated = kind.equals(MODEL_DEPRECATED);
    boolean usage = isUsage(kind) || dated;
    BigDecimal old = dated ? dateValue(isoDate(j.getString("old"))) : dec(j.getString("old"));
    BigDecimal now = dated ? dateValue(isoDate(j.getString("new"))) : dec(j.getString("new"));
    return new ChangeEvent(Long.parseLong(j.getString("id", "0")), kind, j.getString("source"),
        j.getString("provider"), j.getString("model"), j.getString("canonical_model"), j.getString("metric"),
        j.getString("condition"), usage ? null : old, usage ? null : now,
        usage ? old : dec(j.getString("old_value")), usage ? now : dec(j.getString("new_value")),
        j.getString("currency"), dec(j.getString("change_pct")), Instant.parse(j.getString("observed_at")),
        j.getString("stage"), j.getString("reason"), j.getBoolean("to_subscribers", true),
        j.getString("effective_from") == null ? null : Instant.parse(j.getString("effective_from")));
  }

  private static java.time.LocalDate isoDate(String s) {
    return s == null ? null : java.time.LocalDate.parse(s);
  }

  private static BigDecimal dec(String s) {
    return s == null ? null : new BigDecimal(s);
  }
}
