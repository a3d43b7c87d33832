package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.detect.UsageDetector;
import io.pricetide.history.HistoryQueries.EventFilter;
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

  ActivityPages(Ui ui) {
    this.ui = ui;
  }

  // ---------------------------------------------------------------- change feed

  void changes(RoutingContext ctx) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String k : List.of("provider", "model", "kind", "source", "since")) {
      f.put(k, Ui.param(ctx, k));
    }
    Instant since;
    Long cursor;
    try {
      since = f.get("since") == null ? null : LocalDate.parse(f.get("since")).atStartOfDay(ZoneOffset.UTC).toInstant();
      cursor = Ui.param(ctx, "cursor") == null ? null : Long.parseLong(Ui.param(ctx, "cursor"));
    } catch (DateTimeParseException | NumberFormatException e) {
      ui.errorPage(ctx, 400, "The date must look like 2025-06-30 and the cursor must be a number.");
      return;
    }
    ui.page(ctx, "changes", "Price changes", "changes", () -> {
      List<ChangeEvent> events = ui.queries.events(new EventFilter(f.get("source"), f.get("provider"), f.get("kind"),
          f.get("model"), since, cursor, PAGE_SIZE + 1, true));
      Map<String, Object> m = new HashMap<>();
      m.put("events", events.stream().limit(PAGE_SIZE).map(ActivityPages::eventRow).toList());
      m.put("empty", events.isEmpty());
      if (events.size() > PAGE_SIZE) {
        Map<String, String> next = new LinkedHashMap<>(f);
        next.put("cursor", String.valueOf(events.get(PAGE_SIZE - 1).id()));
        m.put("older", Urls.with("/changes", next));
      }
      m.put("f", f.entrySet().stream().collect(HashMap::new, (h, e) -> h.put(e.getKey(), e.getValue() == null ? ""
          : e.getValue()), HashMap::putAll));
      m.put("kinds", PricePages.options(KINDS, f.get("kind")));
      m.put("providers", PricePages.options(providers(), f.get("provider")));
      m.put("sources", PricePages.options(ui.sources.all().stream().map(SourceDefinition::id).toList(),
          f.get("source")));
      m.put("atom", Urls.with("/feeds/changes.atom", f));
      m.put("json", Urls.with("/api/changes", f));
      m.put("filtered", f.values().stream().anyMatch(v -> v != null));
      return m;
    });
  }

  private List<String> providers() {
    return ui.ui.models().stream().map(UiQueries.ModelRef::provider).distinct().toList();
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
    } else {
      m.put("old", e.oldUsd() == null ? "" : Ui.usd(e.oldUsd()));
      m.put("new", e.newUsd() == null ? "" : Ui.usd(e.newUsd()));
    }
    m.put("pct", e.changePct() == null ? "" : Describe.signed(e) + "%");
    m.put("source", e.sourceId());
    m.putIfAbsent("reason", e.reason() == null || !ChangeEvent.SOURCE_FAILURE.equals(e.kind()) ? "" : e.stage() + ": "
        + e.reason());
    m.put("headline", Describe.headline(e));
    return m;
  }

  // ---------------------------------------------------------------- source health

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
        r.put("reason", h == null || h.getString("reason") == null ? "" : h.getString("stage") + ": "
            + h.getString("reason"));
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
