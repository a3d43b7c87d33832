package io.pricetide.alert;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;

/**
 * One subscription as stored.
 *
 * @param id database id (never shown)
 * @param publicId the id the API shows ({@code sub_…})
 * @param channel {@code email}, {@code webhook}, {@code slack} or {@code discord}
 * @param target an email address or an http(s) URL
 * @param filter what it wants to hear about
 * @param baseline {@code previous}, {@code last_notified}, {@code n_day_high} or {@code all_time_low}
 * @param baselineDays N of the N-day high
 * @param mode {@code instant}, {@code daily} or {@code weekly} (digests are for email)
 * @param rearmSeconds after a message about a series, further changes of it are held back this long
 * @param secret webhook signing secret; null for email
 * @param status {@code pending} (email awaiting confirmation), {@code active} or {@code unsubscribed}
 * @param operator true for the operator channel from the configuration
 * @param targetBelow tell when a price (USD per 1M) falls below this; null for none
 * @param targetAbove tell when a price (USD per 1M) rises above this; null for none
 * @param grouping {@code model} (one message per model a check moved), {@code event} (one per event) or null for
 *     the channel's default ({@link #groupsByModel})
 * @param workload for a workload subscription, its workload and trigger (it hears of no change event then); null
 *     for a subscription to change events
 */
record Subscription(long id, String publicId, String channel, String target, Filter filter, String baseline,
    int baselineDays, String mode, long rearmSeconds, String secret, String status, boolean operator,
    Instant createdAt, Instant confirmedAt, Instant nextDigestAt, BigDecimal targetBelow, BigDecimal targetAbove,
    String grouping, WorkloadAlert workload) {

  /** A subscription to change events. */
  Subscription(long id, String publicId, String channel, String target, Filter filter, String baseline,
      int baselineDays, String mode, long rearmSeconds, String secret, String status, boolean operator,
      Instant createdAt, Instant confirmedAt, Instant nextDigestAt, BigDecimal targetBelow, BigDecimal targetAbove,
      String grouping) {
    this(id, publicId, channel, target, filter, baseline, baselineDays, mode, rearmSeconds, secret, status, operator,
        createdAt, confirmedAt, nextDigestAt, targetBelow, targetAbove, grouping, null);
  }

  /** A subscription without target prices, grouped as its channel groups by default. */
  Subscription(long id, String publicId, String channel, String target, Filter filter, String baseline,
      int baselineDays, String mode, long rearmSeconds, String secret, String status, boolean operator,
      Instant createdAt, Instant confirmedAt, Instant nextDigestAt) {
    this(id, publicId, channel, target, filter, baseline, baselineDays, mode, rearmSeconds, secret, status, operator,
        createdAt, confirmedAt, nextDigestAt, null, null, null, null);
  }

  public static final String BY_MODEL = "model";
  public static final String BY_EVENT = "event";
  public static final Set<String> GROUPINGS = Set.of(BY_MODEL, BY_EVENT);

  public static final String EMAIL = "email";
  public static final String WEBHOOK = "webhook";
  public static final String SLACK = "slack";
  public static final String DISCORD = "discord";
  public static final Set<String> CHANNELS = Set.of(EMAIL, WEBHOOK, SLACK, DISCORD);

  public static final String PREVIOUS = "previous";
  public static final String LAST_NOTIFIED = "last_notified";
  public static final String N_DAY_HIGH = "n_day_high";
  public static final String ALL_TIME_LOW = "all_time_low";
  public static final Set<String> BASELINES = Set.of(PREVIOUS, LAST_NOTIFIED, N_DAY_HIGH, ALL_TIME_LOW);

  public static final String INSTANT = "instant";
  public static final String DAILY = "daily";
  public static final String WEEKLY = "weekly";
  public static final Set<String> MODES = Set.of(INSTANT, DAILY, WEEKLY);

  public static final String PENDING = "pending";
  public static final String ACTIVE = "active";
  public static final String UNSUBSCRIBED = "unsubscribed";

  /**
   * True when one message carries every change of one model from one check: the default for email, Slack and
   * Discord; webhooks keep the contract's one event per delivery unless the subscription asks for {@code model}.
   */
  boolean groupsByModel() {
    return grouping == null ? !WEBHOOK.equals(channel) : BY_MODEL.equals(grouping);
  }

  /** True for a workload subscription: it hears of its workload's ranking, never of change events. */
  boolean isWorkload() {
    return workload != null;
  }

  /** True when the subscription waits for prices crossing a target rather than for percentages. */
  boolean hasTarget() {
    return targetBelow != null || targetAbove != null;
  }

  public boolean isActive() {
    return ACTIVE.equals(status);
  }

  /** Whether matching keeps a per-series row for this subscription (reference value or re-arm time). */
  boolean keepsBaselineRows() {
    return LAST_NOTIFIED.equals(baseline) || rearmSeconds > 0;
  }

  /** The outbox lane: SMTP or HTTP. */
  static String lane(String channel) {
    return EMAIL.equals(channel) ? "email" : "http";
  }

  /** The public view: no secret, no internal id. */
  public JsonObject toJson() {
    JsonObject out = toJsonBase();
    if (workload != null) {
      out.put("kind", "workload").mergeIn(workload.toJson());
      out.remove("filter");
      out.remove("baseline");
      out.remove("baseline_days");
      out.remove("target_price");
      out.remove("group");
      out.remove("rearm_hours");
    }
    return out;
  }

  private JsonObject toJsonBase() {
    return new JsonObject().put("id", publicId).put("channel", channel).put("target", target)
        .put("filter", filter.toJson()).put("baseline", baseline)
        .put("baseline_days", N_DAY_HIGH.equals(baseline) ? baselineDays : null).put("mode", mode)
        .put("rearm_hours", rearmSeconds / 3600.0).put("status", status).put("operator", operator)
        .put("target_price", hasTarget() ? new JsonObject()
            .put("below", targetBelow == null ? null : targetBelow.toPlainString())
            .put("above", targetAbove == null ? null : targetAbove.toPlainString()) : null)
        .put("group", groupsByModel() ? BY_MODEL : BY_EVENT)
        .put("created_at", createdAt.toString())
        .put("confirmed_at", confirmedAt == null ? null : confirmedAt.toString());
  }
}
