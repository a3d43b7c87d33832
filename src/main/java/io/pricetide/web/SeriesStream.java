package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.history.HistoryQueries;
import io.pricetide.history.HistoryQueries.Point;
import io.pricetide.history.HistoryQueries.SeriesHead;
import io.pricetide.http.JsonReplies;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Timelines streamed as they are read: {@code /api/series} over a time range at a bounded resolution
 * ({@link StepSampler}), and the full-resolution exports {@code /api/export/series.csv|json}. A request holds the
 * list of matching series and one chunk of text, never the points.
 */
final class SeriesStream {
  static final int DEFAULT_MAX_POINTS = 2000;
  static final int MAX_POINTS_CAP = 10_000;

  private final Vertx vertx;
  private final HistoryQueries queries;
  private final io.pricetide.http.ReadCache cache;

  SeriesStream(Vertx vertx, HistoryQueries queries) {
    this(vertx, queries, new io.pricetide.http.ReadCache(0, 0));
  }

  /** With the cache of {@code /api/series} answers (emptied on each check that changed something). */
  SeriesStream(Vertx vertx, HistoryQueries queries, io.pricetide.http.ReadCache cache) {
    this.vertx = vertx;
    this.queries = queries;
    this.cache = cache;
  }

  /** The asked timeline: model, metric, optional condition and source, range and point budget (0: every point). */
  record Ask(String model, String metric, String condition, String source, Instant from, Instant to, int maxPoints) {}

  /** {@code /api/series?model=&metric=&condition=&source=&from=&to=&max_points=}. */
  void api(RoutingContext ctx) {
    Ask a = ask(ctx, true);
    if (a != null) {
      Chunks.cached(vertx, ctx, cache, "application/json; charset=utf-8", out -> json(a, out));
    }
  }

  /** {@code /api/export/series.json}: every point, same shape as {@code /api/series}. */
  void exportJson(RoutingContext ctx) {
    Ask a = ask(ctx, false);
    if (a != null) {
      Chunks.answer(vertx, ctx, "application/json; charset=utf-8", "pricetide-series.json", out -> json(a, out));
    }
  }

  /** {@code /api/export/series.csv}: every point, one row each. */
  void exportCsv(RoutingContext ctx) {
    Ask a = ask(ctx, false);
    if (a == null) {
      return;
    }
    Chunks.answer(vertx, ctx, "text/csv; charset=utf-8", "pricetide-series.csv", out -> {
      StringBuilder row = new StringBuilder();
      Csv.row(row, Exports.SERIES_COLUMNS, null);
      out.add(row.toString());
      for (SeriesHead s : queries.seriesHeads(a.model(), a.metric(), a.condition(), a.source())) {
        queries.eachPoint(s.id(), a.from(), a.to(), p -> {
          row.setLength(0);
          Csv.row(row, List.of(s.source(), s.provider(), s.model(), s.canonicalModel(), s.metric(),
              nz(s.condition()), p.at().toString(), nz(p.value()), s.currency(), nz(p.usdPer1m())),
              Exports.SERIES_NUMERIC);
          out.add(row.toString());
        });
      }
    });
  }

  private void json(Ask a, Chunks out) {
    List<SeriesHead> heads = queries.seriesHeads(a.model(), a.metric(), a.condition(), a.source());
    out.add("{").name("model").str(a.model()).add(",").name("metric").str(a.metric());
    if (a.maxPoints() > 0) {
      out.add(",").name("from").str(a.from() == null ? null : a.from().toString())
          .add(",").name("to").str(a.to() == null ? null : a.to().toString())
          .add(",").name("max_points").add(String.valueOf(a.maxPoints()));
    }
    out.add(",").name("series").add("[");
    long origin = a.from() != null ? a.from().toEpochMilli()
        : heads.stream().mapToLong(h -> h.firstSeen().toEpochMilli()).min().orElse(0);
    long end = a.to() != null ? a.to().toEpochMilli()
        : heads.stream().mapToLong(h -> h.lastSeen().toEpochMilli()).max().orElse(origin);
    boolean firstSeries = true;
    for (SeriesHead s : heads) {
      out.add(firstSeries ? "" : ",").add("{").name("source").str(s.source()).add(",").name("provider")
          .str(s.provider()).add(",").name("model").str(s.model()).add(",").name("canonical_model")
          .str(s.canonicalModel()).add(",").name("metric").str(s.metric()).add(",").name("condition")
          .str(s.condition()).add(",").name("currency").str(s.currency()).add(",").name("unit")
          .str(io.pricetide.price.Metrics.usdUnit(s.metric())).add(",").name("points").add("[");
      firstSeries = false;
      boolean[] firstPoint = {true};
      Consumer<Point> write = p -> {
        out.add(firstPoint[0] ? "{" : ",{").name("observed_at").str(p.at().toString()).add(",").name("value")
            .str(p.value()).add(",").name("usd_per_1m").str(p.usdPer1m()).add("}");
        firstPoint[0] = false;
      };
      if (a.maxPoints() > 0) {
        StepSampler sampler = new StepSampler(origin, StepSampler.width(end - origin, a.maxPoints()), write);
        queries.eachPoint(s.id(), a.from(), a.to(), sampler);
        sampler.finish();
        out.add("]").add(",").name("points_read").add(String.valueOf(sampler.read())).add(",")
            .name("downsampled").add(String.valueOf(sampler.kept() < sampler.read())).add("}");
      } else {
        queries.eachPoint(s.id(), a.from(), a.to(), write);
        out.add("]}");
      }
    }
    out.add("]}");
  }

  /** Parses the parameters, or answers 400 naming the bad one and returns null. */
  static Ask ask(RoutingContext ctx, boolean sampled) {
    String model = JsonReplies.param(ctx, "model");
    String metric = JsonReplies.param(ctx, "metric");
    if (model == null || metric == null) {
      JsonReplies.error(ctx, 400, "parameters 'model' and 'metric' are required");
      return null;
    }
    Instant from;
    Instant to;
    try {
      from = time(JsonReplies.param(ctx, "from"), false);
      to = time(JsonReplies.param(ctx, "to"), true);
    } catch (DateTimeParseException e) {
      JsonReplies.error(ctx, 400, "parameters 'from' and 'to' take a date (2026-01-31) or an instant "
          + "(2026-01-31T12:00:00Z): " + e.getParsedString());
      return null;
    }
    if (from != null && to != null && to.isBefore(from)) {
      JsonReplies.error(ctx, 400, "'to' is before 'from'");
      return null;
    }
    int max = 0;
    if (sampled) {
      String m = JsonReplies.param(ctx, "max_points");
      try {
        max = m == null ? DEFAULT_MAX_POINTS : Integer.parseInt(m.trim());
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 2 || max > MAX_POINTS_CAP) {
        JsonReplies.error(ctx, 400, "max_points must be a whole number from 2 to " + MAX_POINTS_CAP
            + " (full resolution: /api/export/series.csv or .json)");
        return null;
      }
    }
    return new Ask(model, metric, ctx.request().getParam("condition"), JsonReplies.param(ctx, "source"), from, to,
        max);
  }

  /** A date is its day's start for {@code from} and its day's last microsecond for {@code to}. */
  static Instant time(String s, boolean endOfDay) {
    if (s == null) {
      return null;
    }
    if (s.length() == 10) {
      LocalDate d = LocalDate.parse(s);
      return endOfDay ? d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1000)
          : d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    return Instant.parse(s);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
