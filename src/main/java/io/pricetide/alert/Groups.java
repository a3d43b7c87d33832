package io.pricetide.alert;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.history.AlertReads;
import io.pricetide.price.Decimals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One message per model change: the metrics of one model that one check moved (input, output, cache …) go out
 * together to subscriptions that group by model ({@link Subscription#groupsByModel}). Grouping happens when an
 * event is matched: the first of the model's events a subscriber hears of writes one delivery whose dedupe key
 * names the model and the check ({@code m:…}), with every such event of the check in its payload; the model's
 * other events, matched after it, find that delivery and add none. History commits a check's events together, so
 * they are all readable when the first is matched. Each event is still planned on its own (baselines, re-arm and
 * the filter decide per metric), so a subscriber to {@code input} alone gets only the input line.
 */
final class Groups {
  /** Kinds about one model's prices, which group; usage and catalogue drift go one event per message. */
  static final Set<String> KINDS = Set.of(ChangeEvent.PRICE_CUT, ChangeEvent.PRICE_INCREASE,
      ChangeEvent.PRICE_CORRECTION, ChangeEvent.METRIC_ADDED, ChangeEvent.METRIC_REMOVED, ChangeEvent.MODEL_ADDED,
      ChangeEvent.MODEL_REMOVED, "price_announced", "model_deprecated");

  private Groups() {}

  static boolean groupable(ChangeEvent e) {
    return e.model() != null && KINDS.contains(e.kind());
  }

  /** The dedupe key of the model's change in one check: the same for each of its events. */
  static String key(ChangeEvent e) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((e.sourceId() + '\0' + e.model() + '\0'
          + e.observedAt().toEpochMilli()).getBytes(StandardCharsets.UTF_8));
      return "m:" + HexFormat.of().formatHex(h, 0, 20);
    } catch (NoSuchAlgorithmException x) {
      throw new IllegalStateException(x);
    }
  }

  /** One change in a group and what its subscriber sees of it (the change against their baseline). */
  record Item(ChangeEvent event, BigDecimal baselineUsd, BigDecimal baselinePct) {}

  /** The subscriptions among {@code ids} that already have the delivery {@code key}. */
  static Set<Long> delivered(Connection c, String key) throws SQLException {
    Set<Long> out = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT subscription_id FROM alert_delivery WHERE dedupe_key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  /**
   * The other events of {@code e}'s model and check, each planned for {@code subscriptions} without writing
   * anything: by subscription id, the items they will hear of besides {@code e}, in event order.
   */
  static Map<Long, List<Item>> siblings(Connection c, AlertReads history, ChangeEvent e,
      List<Subscription> subscriptions, Instant now) throws SQLException {
    Map<Long, List<Item>> out = new HashMap<>();
    for (ChangeEvent s : history.eventsOfModelCheck(c, e.sourceId(), e.model(), e.observedAt())) {
      if (s.id() == e.id() || !s.toSubscribers() || !groupable(s)) {
        continue;
      }
      Matcher.Plan plan = Matcher.plan(s, subscriptions, new SeriesBaselines(c, history, s), now);
      for (Matcher.Notice n : plan.notices()) {
        out.computeIfAbsent(n.subscription().id(), k -> new ArrayList<>()).add(new Item(s, n.baselineUsd(), n.pct()));
      }
    }
    return out;
  }

  /** The payload of a grouped delivery: {@code {"group":[{"event":…,"baseline_usd","baseline_pct"}…]}}. */
  static String payload(List<Item> items) {
    JsonArray a = new JsonArray();
    List<Item> ordered = new ArrayList<>(items);
    // Price moves first (they make the headline), then the rest, each in the order history recorded them.
    ordered.sort(java.util.Comparator.comparing((Item i) -> !ChangeEvent.PRICE_CUT.equals(i.event().kind())
        && !ChangeEvent.PRICE_INCREASE.equals(i.event().kind())).thenComparing(i -> i.event().id()));
    for (Item i : ordered) {
      a.add(new JsonObject().put("event", i.event().toJson())
          .put("baseline_usd", i.baselineUsd() == null ? null : i.baselineUsd().toPlainString())
          .put("baseline_pct", i.baselinePct() == null ? null : i.baselinePct().toPlainString()));
    }
    return new JsonObject().put("group", a).encode();
  }

  /** The items of a job: those of a grouped delivery's payload, else the job's own event. */
  static List<Item> of(Job job) {
    if (job.payload() != null && job.payload().startsWith("{\"group\"")) {
      List<Item> out = new ArrayList<>();
      for (Object o : new JsonObject(job.payload()).getJsonArray("group")) {
        JsonObject j = (JsonObject) o;
        out.add(new Item(ChangeEvent.fromJson(j.getJsonObject("event")), dec(j.getString("baseline_usd")),
            dec(j.getString("baseline_pct"))));
      }
      return out;
    }
    return List.of(new Item(job.event(), job.baselineUsd(), job.baselinePct()));
  }

  /** True for a delivery that carries a group (even of one: the subscription asked for the grouped form). */
  static boolean isGroup(Job job) {
    return job.payload() != null && job.payload().startsWith("{\"group\"");
  }

  private static BigDecimal dec(String s) {
    return s == null ? null : new BigDecimal(s);
  }

  /** {@code −30.00} for JSON. */
  static String pct2(BigDecimal p) {
    return p == null ? null : p.setScale(2, RoundingMode.HALF_UP).toPlainString();
  }

  /** {@code 2.50} for JSON. */
  static String money(BigDecimal d) {
    return d == null ? null : Decimals.money(d);
  }
}
