package io.pricetide.alert;

import io.pricetide.bus.ChangeEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a subscriber wants to hear about. Empty lists do not filter. Model globs ({@code *} any run, {@code ?} one
 * character, case-insensitive) match the canonical model id or the model as the source names it. {@code direction}
 * and {@code minPercent} apply to events with a change percentage (computed against the subscriber's baseline);
 * events without one (a new model, say) are not held back by them.
 *
 * @param providers provider names, case-insensitive; an overtake matches the provider that passed and the one
 *     passed
 * @param models model globs
 * @param metrics metrics such as {@code input}, {@code output}, {@code cache_read}
 * @param kinds event kinds; empty means {@link #DEFAULT_KINDS}
 * @param direction {@code down}, {@code up} or {@code any}
 * @param minPercent smallest absolute change in percent that is worth a message; zero for any
 */
record Filter(List<String> providers, List<String> models, List<String> metrics, List<String> kinds,
    String direction, BigDecimal minPercent) {

  /** Kinds a subscriber gets when the filter names none: price and model changes and usage movements. */
  public static final Set<String> DEFAULT_KINDS = Set.of(ChangeEvent.PRICE_CUT, ChangeEvent.PRICE_INCREASE,
      ChangeEvent.MODEL_ADDED, ChangeEvent.MODEL_REMOVED, ChangeEvent.METRIC_ADDED, ChangeEvent.METRIC_REMOVED,
      ChangeEvent.PRICE_CORRECTION, "usage_share_change", "rank_change", "overtake");
  /** Kinds that only ever reach the operator. */
  public static final Set<String> OPERATOR_KINDS = Set.of(ChangeEvent.SOURCE_FAILURE, "source_stale");
  public static final Filter ANY = new Filter(List.of(), List.of(), List.of(), List.of(), "any", BigDecimal.ZERO);

  private static final Set<String> KEYS = Set.of("providers", "models", "metrics", "kinds", "direction",
      "min_percent");
  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_]{0,39}");
  private static final int MAX_ITEMS = 50;
  private static final int MAX_ITEM_LENGTH = 200;

  /** Reads and validates a filter object; throws {@link IllegalArgumentException} with a message for the client. */
  public static Filter fromJson(JsonObject j) {
    if (j == null) {
      return ANY;
    }
    for (String k : j.fieldNames()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("filter: unknown key '" + k + "' (allowed: " + String.join(", ",
            KEYS.stream().sorted().toList()) + ")");
      }
    }
    List<String> kinds = strings(j, "kinds");
    for (String k : kinds) {
      if (!KIND.matcher(k).matches()) {
        throw new IllegalArgumentException("filter.kinds: '" + k + "' is not an event kind");
      }
      if (OPERATOR_KINDS.contains(k)) {
        throw new IllegalArgumentException("filter.kinds: " + k + " events go to the operator only");
      }
    }
    String direction = j.getValue("direction") == null ? "any" : String.valueOf(j.getValue("direction"));
    if (!Set.of("down", "up", "any").contains(direction)) {
      throw new IllegalArgumentException("filter.direction must be down, up or any");
    }
    BigDecimal min = BigDecimal.ZERO;
    Object m = j.getValue("min_percent");
    if (m != null) {
      try {
        min = new BigDecimal(String.valueOf(m));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("filter.min_percent must be a number");
      }
      if (min.signum() < 0 || min.compareTo(BigDecimal.valueOf(100_000)) > 0) {
        throw new IllegalArgumentException("filter.min_percent must be between 0 and 100000");
      }
    }
    // Providers are kept as their vendor's canonical id, so "z-ai" also hears of "zai" and "zhipuai".
    return new Filter(lower(strings(j, "providers")).stream().map(io.pricetide.price.Vendors::canonical).toList(), strings(j, "models"), strings(j, "metrics"), kinds, direction,
        min.stripTrailingZeros());
  }

  public JsonObject toJson() {
    return new JsonObject().put("providers", new JsonArray(providers)).put("models", new JsonArray(models))
        .put("metrics", new JsonArray(metrics)).put("kinds", new JsonArray(kinds)).put("direction", direction)
        .put("min_percent", minPercent.toPlainString());
  }

  /** True when the event's kind, provider, model and metric pass; percentages are judged by {@link #passes}. */
  public boolean selects(ChangeEvent e) {
    if (OPERATOR_KINDS.contains(e.kind())) {
      return false;
    }
    if (kinds.isEmpty() ? !DEFAULT_KINDS.contains(e.kind()) : !kinds.contains(e.kind())) {
      return false;
    }
    if (!providers.isEmpty() && !providers.contains(vendorOf(passed(e))) && (e.provider() == null
        || !providers.contains(io.pricetide.price.Vendors.canonical(e.provider())))) {
      return false;
    }
    if (!metrics.isEmpty() && (e.metric() == null || !metrics.contains(e.metric()))) {
      return false;
    }
    if (!models.isEmpty()) {
      boolean any = false;
      for (String g : models) {
        if (glob(g, e.canonicalModel()) || glob(g, e.model())) {
          any = true;
          break;
        }
      }
      return any;
    }
    return true;
  }

  /**
   * The provider an overtake passed ({@code condition "passed openai"}), lower case, or null: a subscriber to
   * openai hears that qwen passed openai as well as the other way round.
   */
  /** The vendor id of a provider slug; "" for none (a set of ids never holds it). */
  private static String vendorOf(String slug) {
    return slug == null ? "" : io.pricetide.price.Vendors.canonical(slug);
  }

  private static String passed(ChangeEvent e) {
    return ChangeEvent.OVERTAKE.equals(e.kind()) && e.provider() != null && e.condition() != null
        && e.condition().startsWith("passed ") ? e.condition().substring(7).toLowerCase(Locale.ROOT) : null;
  }

  /** Whether a change of {@code pct} percent (null: no percentage) satisfies direction and minimum. */
  public boolean passes(BigDecimal pct) {
    if (pct == null) {
      return true;
    }
    if (direction.equals("down") && pct.signum() >= 0 || direction.equals("up") && pct.signum() <= 0) {
      return false;
    }
    if (direction.equals("any") && pct.signum() == 0) {
      return false;
    }
    return pct.abs().compareTo(minPercent) >= 0;
  }

  /** Glob match, case-insensitive; {@code *} matches any run of characters and {@code ?} one. */
  static boolean glob(String pattern, String text) {
    if (text == null) {
      return false;
    }
    String p = pattern.toLowerCase(Locale.ROOT);
    String t = text.toLowerCase(Locale.ROOT);
    int pi = 0;
    int ti = 0;
    int star = -1;
    int mark = 0;
    while (ti < t.length()) {
      if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == t.charAt(ti))) {
        pi++;
        ti++;
      } else if (pi < p.length() && p.charAt(pi) == '*') {
        star = pi++;
        mark = ti;
      } else if (star >= 0) {
        pi = star + 1;
        ti = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }

  private static List<String> strings(JsonObject j, String key) {
    Object v = j.getValue(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray arr)) {
      throw new IllegalArgumentException("filter." + key + " must be a list of strings");
    }
    if (arr.size() > MAX_ITEMS) {
      throw new IllegalArgumentException("filter." + key + " may hold at most " + MAX_ITEMS + " items");
    }
    List<String> out = new ArrayList<>();
    for (Object o : arr) {
      if (!(o instanceof String s) || s.isBlank() || s.length() > MAX_ITEM_LENGTH) {
        throw new IllegalArgumentException("filter." + key + " must hold non-empty strings of at most "
            + MAX_ITEM_LENGTH + " characters");
      }
      out.add(s.trim());
    }
    return List.copyOf(out);
  }

  private static List<String> lower(List<String> in) {
    return in.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
  }
}
