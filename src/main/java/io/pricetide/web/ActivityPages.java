package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.detect.UsageDetector;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.price.Vendors;
import io.pricetide.source.SourceDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.text.ParseException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quartz.CronExpression;

/** What happens over time: the change feed and the health of the sources (usage is {@link UsagePages}). */
final class ActivityPages {
  static final int PAGE_SIZE = 100;
  static final List<String> KINDS = List.of(ChangeEvent.PRICE_CUT, ChangeEvent.PRICE_INCREASE,
      ChangeEvent.MODEL_ADDED, ChangeEvent.MODEL_REMOVED, ChangeEvent.METRIC_ADDED, ChangeEvent.METRIC_REMOVED,
      ChangeEvent.PRICE_CORRECTION, "catalogue_drift", ChangeEvent.SOURCE_FAILURE, UsageDetector.SHARE_CHANGE,
      UsageDetector.RANK_CHANGE, UsageDetector.OVERTAKE);

  private final Ui ui;
  private final FeedQueries feed;

  ActivityPages(Ui ui) {
    this.ui = ui;
    this.feed = new FeedQueries(ui.queries.dataSource());
  }

  // ---------------------------------------------------------------- change feed

  /**
   * {@code /changes}: what moved, newest by the date it happened first; the price kinds unless {@code kind} names
   * another public one. Catalogue drift has its own view ({@code /drift}); operator kinds are on {@code /sources}.
   */
  void changes(RoutingContext ctx) {
    String kind = Ui.param(ctx, "kind");
    if (kind != null && FeedQueries.OPERATOR_KINDS.contains(kind)) {
      ctx.redirect("/sources");
      return;
    }
    if (FeedQueries.DRIFT.equals(kind)) {
      ctx.redirect(Urls.with("/drift", filters(ctx, List.of("provider", "model", "source", "since"))));
      return;
    }
    List<String> choices = new ArrayList<>(FeedQueries.PRICE_KINDS);
    choices.addAll(FeedQueries.MORE_KINDS);
    if (kind != null && !choices.contains(kind)) {
      ui.errorPage(ctx, 400, "There is no event kind \u201c" + kind + "\u201d in this feed; pick one of the list.");
      return;
    }
    feedPage(ctx, "/changes", "Price changes", kind == null ? FeedQueries.PRICE_KINDS : List.of(kind), choices);
  }

  /** {@code /drift}: catalogue prices that disagree with the vendor's own, by date. */
  void drift(RoutingContext ctx) {
    feedPage(ctx, "/drift", "Catalogue drift", List.of(FeedQueries.DRIFT), List.of());
  }

  private static Map<String, String> filters(RoutingContext ctx, List<String> keys) {
    Map<String, String> f = new LinkedHashMap<>();
    keys.forEach(k -> f.put(k, Ui.param(ctx, k)));
    return f;
  }

  private void feedPage(RoutingContext ctx, String path, String title, List<String> kinds, List<String> choices) {
    boolean drift = path.equals("/drift");
    Map<String, String> f = filters(ctx, drift ? List.of("provider", "model", "source", "since")
        : List.of("provider", "model", "kind", "source", "since"));
    Instant since;
    FeedQueries.Cursor cursor;
    try {
      since = f.get("since") == null ? null : LocalDate.parse(f.get("since")).atStartOfDay(ZoneOffset.UTC).toInstant();
      cursor = Ui.param(ctx, "cursor") == null ? null : FeedQueries.Cursor.parse(Ui.param(ctx, "cursor"));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      ui.errorPage(ctx, 400, "The date must look like 2025-06-30 and the cursor must be one this page made.");
      return;
    }
    ui.page(ctx, drift ? "drift" : "changes", title, "changes", () -> {
      List<FeedQueries.Dated> events = feed.events(new FeedQueries.Query(kinds, f.get("provider"), f.get("model"),
          f.get("source"), since, cursor, PAGE_SIZE + 1));
      Map<String, Object> m = new HashMap<>();
      m.put("events", events.stream().limit(PAGE_SIZE).map(d -> datedRow(d)).toList());
      m.put("empty", events.isEmpty());
      if (events.size() > PAGE_SIZE) {
        Map<String, String> next = new LinkedHashMap<>(f);
        FeedQueries.Dated last = events.get(PAGE_SIZE - 1);
        next.put("cursor", new FeedQueries.Cursor(last.at(), last.event().id()).toString());
        m.put("older", Urls.with(path, next));
      }
      m.put("f", f.entrySet().stream().collect(HashMap::new, (h, e) -> h.put(e.getKey(), e.getValue() == null ? ""
          : e.getValue()), HashMap::putAll));
      m.put("kinds", PricePages.options(choices, f.get("kind")).stream()
          .sorted(java.util.Comparator.comparing(o -> choices.indexOf(String.valueOf(o.get("value"))))).toList());
      m.put("providers", vendorOptions(f.get("provider")));
      m.put("sources", PricePages.options(ui.sources.all().stream().map(SourceDefinition::id).toList(),
          f.get("source")));
      m.put("atom", Urls.with(drift ? "/feeds/drift.atom" : "/feeds/changes.atom", f));
      Map<String, String> api = new LinkedHashMap<>(f);
      api.put("kind", drift ? FeedQueries.DRIFT : f.get("kind"));
      m.put("json", Urls.with("/api/changes", api));
      m.put("filtered", f.values().stream().anyMatch(v -> v != null));
      m.put("caption", drift ? "Catalogue prices that differ from the vendor's own, newest first (USD per 1M tokens unless a price names its unit)"
          : "What moved, newest first by the date it happened (USD per 1M tokens unless a price names its unit; "
          + "a deprecation's old and new are retirement dates)");
      return m;
    });
  }

  /** The vendors by their canonical names, for a provider filter: one entry for zai, z-ai and zhipuai. */
  List<Map<String, Object>> vendorOptions(String selected) {
    return vendorOptions(ui, feed, selected);
  }

  /** As {@link #vendorOptions(String)}, for any page. */
  static List<Map<String, Object>> vendorOptions(Ui ui, FeedQueries feed, String selected) {
    List<String> firstParty = ui.sources.all().stream().filter(s -> "prices".equals(s.kind()) && s.provider() != null)
        .map(SourceDefinition::provider).toList();
    String chosen = selected == null ? null : Vendors.canonical(selected);
    return Vendors.among(feed.providers(), firstParty).stream().map(v -> Map.<String, Object>of("value", v.id(),
        "label", v.name(), "selected", chosen != null && v.id().equals(chosen))).toList();
  }

  /** A feed row, dated by when the change happened. */
  static Map<String, Object> datedRow(FeedQueries.Dated d) {
    Map<String, Object> m = eventRow(d.event());
    m.put("when", Ui.time(d.at()));
    Vendors.Vendor v = Vendors.of(d.event().provider());
    if (v != null) {
      m.put("provider", v.name()); // the vendor as it names itself: one "Mistral AI" for mistral and mistralai
    }
    return m;
  }

  static Map<String, Object> eventRow(ChangeEvent e) {
    Map<String, Object> m = new HashMap<>();
    m.put("kind", e.kind());
    m.put("kind_label", e.kind().replace('_', ' '));
    m.put("cut", ChangeEvent.PRICE_CUT.equals(e.kind()));
    m.put("up", ChangeEvent.PRICE_INCREASE.equals(e.kind()));
    m.put("failure", ChangeEvent.SOURCE_FAILURE.equals(e.kind()));
    m.put("when", Ui.time(e.observedAt()));
    m.put("provider", e.provider() == null ? "" : e.provider());
    m.put("model", e.model() == null ? "" : e.model());
    m.put("model_html", Describe.breakable(e.model() == null ? "" : e.model()));
    m.put("href", e.canonicalModel() == null || e.isUsage() ? "" : "/model?id=" + Urls.enc(e.canonicalModel()));
    m.put("metric", e.metric() == null ? "" : e.metric());
    m.put("condition", e.condition() == null ? "" : e.condition());
    if (e.isUsage()) {
      JsonObject j = e.toJson();
      String suffix = "rank".equals(j.getString("unit")) ? "" : "%";
      String prefix = "rank".equals(j.getString("unit")) ? "#" : "";
      m.put("old", j.getString("old") == null ? "" : prefix + j.getString("old") + suffix);
      m.put("new", j.getString("new") == null ? "" : prefix + j.getString("new") + suffix);
      m.put("reason", e.reason() == null ? "" : e.reason());
      m.put("usage", true);
    } else if (e.isDate()) {
      // A retirement date: the date before (when the source moved it) and the date now, not prices.
      JsonObject j = e.toJson();
      m.put("old", j.getString("old") == null ? "" : j.getString("old"));
      m.put("new", j.getString("new") == null ? "" : j.getString("new"));
      m.put("metric", "retirement date");
      m.put("dated", true);
    } else {
      m.put("old", e.oldUsd() == null ? "" : Ui.price(e.oldUsd(), e.metric()));
      m.put("new", e.newUsd() == null ? "" : Ui.price(e.newUsd(), e.metric()));
    }
    if (e.effectiveFrom() != null && (ChangeEvent.PRICE_ANNOUNCED.equals(e.kind())
        || ChangeEvent.ANNOUNCEMENT_WITHDRAWN.equals(e.kind()))) {
      m.put("effective", Ui.time(e.effectiveFrom()));
    }
    m.put("pct", e.changePct() == null ? "" : Describe.signed(e) + "%");
    m.put("source", e.sourceId());
    m.putIfAbsent("reason", e.reason() == null || !ChangeEvent.SOURCE_FAILURE.equals(e.kind()) ? "" : e.stage() + ": "
        + e.reason());
    m.put("headline", Describe.headline(e));
    return m;
  }

  // ---------------------------------------------------------------- source health

  /** Characters of a failed check's reason shown before the rest folds away. */
  static final int REASON_SHOWN = 100;

  void sources(RoutingContext ctx) {
    ui.page(ctx, "sources", "Source health", "sources", () -> {
      JsonArray health = ui.queries.sourceHealth();
      Map<String, JsonObject> last = new HashMap<>();
      health.forEach(o -> last.put(((JsonObject) o).getString("source"), (JsonObject) o));
      Map<String, Instant> ok = ui.ui.lastSuccess();
      Instant now = Instant.now();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (SourceDefinition s : ui.sources.all()) {
        JsonObject h = last.get(s.id());
        Map<String, Object> r = new HashMap<>();
        r.put("id", s.id());
        r.put("name", s.name());
        r.put("kind", s.kind());
        r.put("url", s.url());
        r.put("schedule", s.schedule());
        r.put("last_check", h == null ? Map.of() : Ui.time(Instant.parse(h.getString("last_check"))));
        r.put("outcome", h == null ? "never checked" : h.getString("outcome"));
        r.put("error", h != null && "error".equals(h.getString("outcome")));
        String reason = h == null || h.getString("reason") == null ? "" : h.getString("stage") + ": "
            + h.getString("reason");
        r.put("reason", reason);
        // A long reason (a guard listing every held change) folds away behind its start: a phone's narrow column
        // would otherwise make its row screens tall.
        r.put("reason_short", reason.length() > REASON_SHOWN ? reason.substring(0, REASON_SHOWN) + "\u2026" : "");
        r.put("last_ok", Ui.time(ok.get(s.id())));
        String fresh = freshness(s, ok.get(s.id()), now);
        r.put("freshness", fresh);
        r.put("fresh", fresh.equals("fresh"));
        r.put("stale", fresh.equals("stale"));
        rows.add(r);
      }
      Map<String, Object> m = new HashMap<>();
      m.put("rows", rows);
      m.put("empty", rows.isEmpty());
      List<Map<String, Object>> failures = feed.events(new FeedQueries.Query(FeedQueries.OPERATOR_KINDS, null, null,
          null, null, null, 50)).stream().map(ActivityPages::datedRow).toList();
      m.put("no_failures", failures.isEmpty());
      m.put("failures_ctx", failures.isEmpty() ? List.of() : List.of(Map.of("events", failures, "caption",
          "The last 50 failed checks, newest first")));
      return m;
    });
  }

  /**
   * "fresh" when the last good check is no older than two scheduled runs, "late" up to four, then "stale";
   * "disabled" and "never" where they apply.
   */
  static String freshness(SourceDefinition s, Instant lastOk, Instant now) {
    if (!s.enabled()) {
      return "disabled";
    }
    if (lastOk == null) {
      return "never";
    }
    try {
      CronExpression cron = new CronExpression(s.schedule());
      Date t = Date.from(lastOk);
      for (int i = 1; i <= 4; i++) {
        t = cron.getNextValidTimeAfter(t);
        if (t == null || now.isBefore(t.toInstant())) {
          return i <= 2 ? "fresh" : "late";
        }
      }
      return "stale";
    } catch (ParseException e) {
      return "unknown";
    }
  }
}
