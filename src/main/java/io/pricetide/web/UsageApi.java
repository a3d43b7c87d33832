package io.pricetide.web;

import io.pricetide.history.HistoryQueries;
import io.pricetide.http.JsonReplies;
import io.pricetide.price.Metrics;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.Sources;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/usage}: the current values of one usage metric ({@code ?metric=}, default {@code weekly_tokens}),
 * or with {@code ?history=1} every recorded point of the usage series, optionally of one {@code provider},
 * {@code model} and {@code source}, between the weeks {@code from} and {@code to} (dates, inclusive): per series,
 * {@code points: [{valid_from, value, observed_at}]}, one per week (a revised week shows its latest value and
 * {@code revised: true}). {@code valid_from} is the week's Monday for weekly series, the check's time otherwise.
 */
final class UsageApi {
  private static final Logger LOG = LoggerFactory.getLogger(UsageApi.class);

  private final Vertx vertx;
  private final HistoryQueries queries;
  private final UsageQueries usage;
  private final Sources sources;

  UsageApi(Vertx vertx, HistoryQueries queries, Sources sources) {
    this.vertx = vertx;
    this.queries = queries;
    this.sources = sources;
    this.usage = new UsageQueries(queries.dataSource());
  }

  void handle(RoutingContext ctx) {
    String metric = Ui.param(ctx, "metric");
    String history = Ui.param(ctx, "history");
    if (history == null || history.equals("0") || history.equals("false")) {
      String m = metric == null ? Metrics.WEEKLY_TOKENS : metric;
      answer(ctx, () -> new JsonObject().put("metric", m).put("usage", queries.usage(m)));
      return;
    }
    Instant from;
    Instant to;
    try {
      from = day(Ui.param(ctx, "from"));
      to = day(Ui.param(ctx, "to"));
    } catch (DateTimeParseException e) {
      JsonReplies.error(ctx, 400, "from and to must be dates like 2025-07-28");
      return;
    }
    if (metric != null && !Metrics.USAGE.contains(metric)) {
      JsonReplies.error(ctx, 400, "metric must be one of " + String.join(", ", new java.util.TreeSet<>(Metrics.USAGE)));
      return;
    }
    String source = Ui.param(ctx, "source");
    List<String> ids = sources.all().stream().filter(s -> "usage".equals(s.kind())).map(SourceDefinition::id)
        .filter(id -> source == null || id.equals(source)).toList();
    if (source != null && ids.isEmpty()) {
      JsonReplies.error(ctx, 404, "unknown usage source '" + source + "'");
      return;
    }
    String provider = Ui.param(ctx, "provider");
    String model = Ui.param(ctx, "model");
    answer(ctx, () -> {
      Map<String, JsonObject> series = new LinkedHashMap<>();
      Map<String, Map<String, JsonObject>> weeks = new LinkedHashMap<>();
      for (UsageQueries.Point p : usage.usage(ids, metric, provider, model, from, to)) {
        String key = p.source() + "\u0000" + p.metric() + "\u0000" + p.model() + "\u0000" + p.condition();
        JsonObject s = series.computeIfAbsent(key, k -> new JsonObject().put("source", p.source())
            .put("provider", p.provider()).put("model", p.model()).put("metric", p.metric())
            .put("condition", p.condition() == null || p.condition().isEmpty() ? null : p.condition())
            .put("points", new JsonArray()));
        Map<String, JsonObject> byWeek = weeks.computeIfAbsent(key, k -> new LinkedHashMap<>());
        JsonObject point = new JsonObject().put("valid_from", p.week().toString())
            .put("value", p.value() == null ? null : p.value().stripTrailingZeros().toPlainString())
            .put("observed_at", p.observedAt().toString());
        JsonObject had = byWeek.put(p.week().toString(), point);
        if (had != null) {
          point.put("revised", true);
        }
      }
      JsonArray out = new JsonArray();
      series.forEach((k, s) -> {
        weeks.get(k).values().forEach(s.getJsonArray("points")::add);
        out.add(s);
      });
      return new JsonObject().put("metric", metric).put("provider", provider).put("model", model)
          .put("from", from == null ? null : from.toString()).put("to", to == null ? null : to.toString())
          .put("series", out);
    });
  }

  private static Instant day(String s) {
    return s == null ? null : LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private void answer(RoutingContext ctx, java.util.concurrent.Callable<JsonObject> work) {
    vertx.executeBlocking(work).onComplete(ar -> {
      if (ar.succeeded()) {
        JsonReplies.json(ctx, 200, ar.result());
      } else {
        JsonReplies.internalError(ctx, LOG, ar.cause());
      }
    });
  }
}
