package io.pricetide.extract;

import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceBodies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Weekly usage from the OpenRouter rankings page, read from its Next.js payload ({@link NextPayload}) and its
 * charts found by their own markers ({@link RankingCharts}):
 *
 * <ul>
 *   <li>the weekly token leaderboard: {@code weekly_tokens} per model (provider = the part of the id before
 *       {@code /});
 *   <li>the weekly market share by author: {@code provider_weekly_tokens} per author, the page's own totals
 *       (model = provider = the author id), never a sum of the leaderboard's models.
 * </ul>
 *
 * <p>Every complete week of each chart is one observation valid from that week's ISO Monday, 00:00 UTC (a chart
 * that dates its weeks by the Sunday before maps to the Monday after). The last point of a chart is the week in
 * progress and is never emitted; the first is the edge of the page's rolling window, which may cut it, and is not
 * emitted either. Each chart's rest bucket ({@code Others}) is emitted under the condition {@code others}, so a
 * week's total is the sum of its observations. Other charts of the page (daily tokens per language, tool calls,
 * images, …) are ignored. A page without both charts fails, naming what is missing. Several bodies handed over
 * in one {@link SourceBodies} envelope (a rendered document and the payloads it loaded) are read together: each
 * chart from the first body that holds it.
 */
final class OpenRouterRankingsExtractor implements Extractor {
  static final ExtractorFactory FACTORY = ExtractorFactory.withoutSettings(OpenRouterRankingsExtractor::new);

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    List<SourceBodies.Part> parts;
    if (RenderedPage.isRendered(body)) {
      // A page rendered in a browser: its document, then each JSON (or flight) response it loaded.
      RenderedPage.unpack(body, ctx);
      List<String> docs = RenderedPage.documents(body);
      parts = new ArrayList<>();
      for (int i = 0; i < docs.size(); i++) {
        parts.add(new SourceBodies.Part(i == 0 ? "the rendered document" : "loaded response " + i, docs.get(i)));
      }
    } else {
      try {
        parts = SourceBodies.split(body).orElse(null);
      } catch (IllegalArgumentException e) {
        throw ctx.fail(e.getMessage());
      }
    }
    Map<RankingCharts.Kind, RankingCharts.Chart> charts = parts == null ? charts(body, ctx)
        : charts(parts, ctx);
    List<Observation> out = new ArrayList<>();
    emit(charts.get(RankingCharts.Kind.LEADERBOARD), Metrics.WEEKLY_TOKENS, ctx, out);
    emit(charts.get(RankingCharts.Kind.MARKET_SHARE), Metrics.PROVIDER_WEEKLY_TOKENS, ctx, out);
    return out;
  }

  /** Both charts of one page, or a failure naming what is missing. */
  private static Map<RankingCharts.Kind, RankingCharts.Chart> charts(String body, ExtractContext ctx) {
    NextPayload payload = NextPayload.read(body, ctx).orElseThrow(() -> ctx.fail(
        "no Next.js payload (self.__next_f.push([1,\"…\"]) chunks) in the page, so neither "
            + RankingCharts.Kind.LEADERBOARD.wanted() + " nor " + RankingCharts.Kind.MARKET_SHARE.wanted()
            + clientSide(body)));
    Map<RankingCharts.Kind, RankingCharts.Chart> charts = RankingCharts.find(payload, ctx);
    List<String> missing = new ArrayList<>();
    for (RankingCharts.Kind kind : RankingCharts.Kind.values()) {
      if (!charts.containsKey(kind)) {
        missing.add(kind.wanted() + (RankingCharts.hasSection(payload, kind)
            ? ": the section is there but holds no such chart" : ": no such section"));
      }
    }
    if (!missing.isEmpty()) {
      throw ctx.fail("the page's Next.js payload (" + payload.chunks() + " chunks, " + payload.rows().size()
          + " rows) lacks " + String.join("; and ", missing) + clientSide(body));
    }
    return charts;
  }

  /**
   * Both charts from several bodies handed over together (a rendered document and the payloads it loaded, in
   * one {@link SourceBodies} envelope): each chart from the first body that holds it; a failure gives each body's
   * reason.
   */
  private static Map<RankingCharts.Kind, RankingCharts.Chart> charts(List<SourceBodies.Part> parts,
      ExtractContext ctx) {
    Map<RankingCharts.Kind, RankingCharts.Chart> charts = new java.util.EnumMap<>(RankingCharts.Kind.class);
    List<String> reasons = new ArrayList<>();
    String prefix = "source " + ctx.sourceId() + ", stage extract: ";
    for (SourceBodies.Part part : parts) {
      try {
        charts(part.body(), ctx).forEach(charts::putIfAbsent);
        return charts;
      } catch (ExtractException e) {
        reasons.add(part.url() + ": " + e.getMessage().replace(prefix, ""));
        try {
          NextPayload.read(part.body(), ctx).ifPresent(p -> RankingCharts.find(p, ctx).forEach(charts::putIfAbsent));
        } catch (ExtractException unreadable) {
          // this body's reason is already noted
        }
      }
      if (charts.size() == RankingCharts.Kind.values().length) {
        return charts;
      }
    }
    throw ctx.fail("none of the " + parts.size() + " bodies handed over carries both weekly charts: "
        + String.join(" | ", reasons));
  }

  private static void emit(RankingCharts.Chart chart, String metric, ExtractContext ctx, List<Observation> out) {
    List<RankingCharts.Point> points = chart.points();
    if (points.size() < 3) {
      throw ctx.fail("the " + chart.kind().label + " (section " + chart.section() + ") has " + points.size()
          + " point(s): no complete week between the window's first point (possibly cut) and its last (the week"
          + " in progress)");
    }
    int before = out.size();
    for (RankingCharts.Point p : points.subList(1, points.size() - 1)) {
      java.time.Instant monday = p.week().atStartOfDay(ZoneOffset.UTC).toInstant();
      for (Map.Entry<String, BigDecimal> e : p.values().entrySet()) {
        String key = e.getKey().trim();
        BigDecimal tokens = e.getValue().setScale(0, RoundingMode.HALF_UP);
        Observation o;
        if (RankingCharts.isOthers(key)) {
          o = new Observation("", Metrics.OTHERS, Metrics.OTHERS, metric, Metrics.OTHERS, tokens, Metrics.COUNT,
              null);
        } else if (metric.equals(Metrics.PROVIDER_WEEKLY_TOKENS)) {
          String author = key.toLowerCase(Locale.ROOT);
          o = new Observation(author, author, author, metric, "", tokens, Metrics.COUNT, null);
        } else {
          String provider = key.contains("/") ? key.substring(0, key.indexOf('/')).toLowerCase(Locale.ROOT) : "";
          o = new Observation(provider, key, ctx.canonical(key), metric, "", tokens, Metrics.COUNT, null);
        }
        out.add(o.validFrom(monday));
      }
    }
    if (out.size() == before) {
      throw ctx.fail("the " + chart.kind().label + " (section " + chart.section() + ") lists no values in its"
          + " complete weeks");
    }
  }

  private static String clientSide(String body) {
    return body.contains("BAILOUT_TO_CLIENT_SIDE_RENDERING")
        ? " (the page bails out to client-side rendering: its charts load in the browser)" : "";
  }
}
