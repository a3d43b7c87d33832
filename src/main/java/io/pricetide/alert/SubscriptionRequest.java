package io.pricetide.alert;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code POST /api/subscriptions} body, validated: pure, no HTTP. {@link #parse} turns the body into a request
 * or the first thing wrong with it, worded for the caller; the checks that depend on the channel and come after
 * auth and rate limits ({@link #emailError}, {@link #secretError}) are separate so the routes keep their order.
 *
 * @param secret the webhook signing secret the caller chose, or null
 * @param rearmSeconds {@code rearm_hours} in whole seconds (0 when absent)
 * @param targetBelow {@code target_price.below}: USD per 1M a price must fall below; null for none
 * @param targetAbove {@code target_price.above}: USD per 1M a price must rise above; null for none
 * @param grouping {@code group}: {@code model}, {@code event} or null for the channel's default
 * @param workload {@code workload} and {@code trigger}: a workload subscription (then none of the change-event
 *     settings apply); null for a subscription to change events
 */
record SubscriptionRequest(String channel, String target, Filter filter, String baseline, int baselineDays,
    String mode, long rearmSeconds, String secret, BigDecimal targetBelow, BigDecimal targetAbove,
    String grouping, WorkloadAlert workload) {

  private static final Set<String> KEYS = Set.of("channel", "target", "filter", "secret", "mode", "baseline",
      "baseline_days", "rearm_hours", "target_price", "group", "workload", "trigger");
  /** Settings of change-event subscriptions, which a workload subscription does not take. */
  private static final java.util.List<String> EVENT_KEYS = java.util.List.of("filter", "baseline", "baseline_days",
      "rearm_hours", "target_price", "group");
  private static final Set<String> TARGET_KEYS = Set.of("below", "above");
  private static final Pattern EMAIL = Pattern.compile("[^\\s@<>(),;:\"\\[\\]\\\\]{1,64}@[A-Za-z0-9.-]{1,253}"
      + "\\.[A-Za-z]{2,63}");

  /** A request, or why there is none ({@code error} non-null then). */
  record Parsed(SubscriptionRequest request, String error) {
    static Parsed invalid(String error) {
      return new Parsed(null, error);
    }
  }

  /** Validates a request body; a null body (JSON {@code null}) is not an object. */
  static Parsed parse(JsonObject in) {
    if (in == null) {
      return Parsed.invalid("the body must be a JSON object");
    }
    try {
      for (String k : in.fieldNames()) {
        if (!KEYS.contains(k)) {
          return Parsed.invalid("unknown key '" + k + "'");
        }
      }
      return new Parsed(fields(in), null);
    } catch (IllegalArgumentException | ClassCastException e) {
      return Parsed.invalid(e.getMessage());
    }
  }

  private static SubscriptionRequest fields(JsonObject in) {
    String channel = str(in, "channel");
    if (channel == null || !Subscription.CHANNELS.contains(channel)) {
      throw new IllegalArgumentException("channel must be one of email, webhook, slack, discord");
    }
    String target = str(in, "target");
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("target is required");
    }
    WorkloadAlert workload = null;
    if (in.getValue("workload") != null) {
      for (String k : EVENT_KEYS) {
        if (in.getValue(k) != null) {
          throw new IllegalArgumentException(k + " does not apply to a workload subscription (it watches the "
              + "ranking of its workload, not change events)");
        }
      }
      String mode = str(in, "mode");
      if (mode != null && !mode.equals(Subscription.INSTANT)) {
        throw new IllegalArgumentException("a workload subscription is sent as it happens: mode must be instant");
      }
      workload = WorkloadAlert.fromRequest(in.getValue("workload"), in.getValue("trigger"));
    } else if (in.getValue("trigger") != null) {
      throw new IllegalArgumentException("trigger is for workload subscriptions: give the workload too");
    }
    Object f = in.getValue("filter");
    if (f != null && !(f instanceof JsonObject)) {
      throw new IllegalArgumentException("filter must be an object");
    }
    Filter filter = Filter.fromJson((JsonObject) f);
    String baseline = Optional.ofNullable(str(in, "baseline")).orElse(Subscription.PREVIOUS);
    if (!Subscription.BASELINES.contains(baseline)) {
      throw new IllegalArgumentException("baseline must be one of previous, last_notified, n_day_high, all_time_low");
    }
    int days = 30;
    if (in.getValue("baseline_days") != null) {
      days = wholeNumber(in.getValue("baseline_days"), "baseline_days", 1, 3650);
    }
    String mode = Optional.ofNullable(str(in, "mode")).orElse(Subscription.INSTANT);
    if (!Subscription.MODES.contains(mode)) {
      throw new IllegalArgumentException("mode must be one of instant, daily, weekly");
    }
    if (!channel.equals(Subscription.EMAIL) && !mode.equals(Subscription.INSTANT)) {
      throw new IllegalArgumentException("digests (daily, weekly) are for email; " + channel + " is instant");
    }
    long rearm = 0;
    if (in.getValue("rearm_hours") != null) {
      BigDecimal h;
      try {
        h = new BigDecimal(String.valueOf(in.getValue("rearm_hours")));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("rearm_hours must be a number");
      }
      if (h.signum() < 0 || h.compareTo(BigDecimal.valueOf(8760)) > 0) {
        throw new IllegalArgumentException("rearm_hours must be between 0 and 8760");
      }
      rearm = h.multiply(BigDecimal.valueOf(3600)).longValue();
    }
    String secret = in.getValue("secret") == null ? null : String.valueOf(in.getValue("secret"));
    BigDecimal below = null;
    BigDecimal above = null;
    Object t = in.getValue("target_price");
    if (t != null) {
      if (!(t instanceof JsonObject tp)) {
        throw new IllegalArgumentException("target_price must be an object like {\"below\": 1.00}");
      }
      for (String k : tp.fieldNames()) {
        if (!TARGET_KEYS.contains(k)) {
          throw new IllegalArgumentException("target_price: unknown key '" + k + "' (allowed: above, below)");
        }
      }
      below = usd(tp.getValue("below"), "target_price.below");
      above = usd(tp.getValue("above"), "target_price.above");
      if (below == null && above == null) {
        throw new IllegalArgumentException("target_price needs below or above (USD per 1M tokens)");
      }
    }
    String group = str(in, "group");
    if (group != null && !Subscription.GROUPINGS.contains(group)) {
      throw new IllegalArgumentException("group must be model (one message per model a check moved) or event "
          + "(one per event)");
    }
    return new SubscriptionRequest(channel, target.trim(), filter, baseline, days, mode, rearm, secret, below, above,
        group, workload);
  }

  /** A target price: a positive decimal (a string or a number) of at most 1,000,000 USD per 1M; null when absent. */
  private static BigDecimal usd(Object v, String key) {
    if (v == null) {
      return null;
    }
    BigDecimal d;
    try {
      d = new BigDecimal(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number of USD per 1M tokens");
    }
    if (d.signum() <= 0 || d.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
      throw new IllegalArgumentException(key + " must be above 0 and at most 1000000 (USD per 1M tokens)");
    }
    return d.stripTrailingZeros();
  }

  boolean isEmail() {
    return channel.equals(Subscription.EMAIL);
  }

  /** What is wrong with an email request's address; empty when nothing is. */
  Optional<String> emailError() {
    return target.length() > 254 || !EMAIL.matcher(target).matches()
        ? Optional.of("target must be an email address") : Optional.empty();
  }

  /** What is wrong with the request's secret (only webhooks take one); empty when nothing is. */
  Optional<String> secretError() {
    if (secret == null) {
      return Optional.empty();
    }
    if (isEmail()) {
      return Optional.of("secret is for webhooks");
    }
    if (channel.equals(Subscription.WEBHOOK)) {
      return secret.length() < 16 || secret.length() > 200
          ? Optional.of("secret must have 16 to 200 characters") : Optional.empty();
    }
    return Optional.of("secret is for webhooks; " + channel + " URLs carry their own");
  }

  /**
   * The subscription to store: email pending until confirmed, the others active from {@code now}, with the given
   * signing secret (null for email, Slack and Discord).
   */
  Subscription toSubscription(String publicId, String signingSecret, Instant now) {
    boolean email = isEmail();
    return new Subscription(0, publicId, channel, target, filter, baseline, baselineDays, mode, rearmSeconds,
        signingSecret, email ? Subscription.PENDING : Subscription.ACTIVE, false, null, email ? null : now, null,
        targetBelow, targetAbove, grouping, workload);
  }

  private static int wholeNumber(Object v, String key, int min, int max) {
    try {
      int n = new BigDecimal(String.valueOf(v)).intValueExact();
      if (n < min || n > max) {
        throw new ArithmeticException();
      }
      return n;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(key + " must be a whole number between " + min + " and " + max);
    }
  }

  private static String str(JsonObject in, String key) {
    Object v = in.getValue(key);
    if (v != null && !(v instanceof String)) {
      throw new IllegalArgumentException(key + " must be a string");
    }
    return (String) v;
  }
}
