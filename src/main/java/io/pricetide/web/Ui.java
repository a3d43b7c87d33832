package io.pricetide.web;

import io.pricetide.history.HistoryQueries;
import io.pricetide.http.JsonReplies;
import io.pricetide.price.Decimals;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.Sources;
import io.pricetide.template.Html;
import io.pricetide.template.Templates;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every page handler shares: the queries, the templates, and how a page or a download is answered. */
final class Ui {
  private static final Logger LOG = LoggerFactory.getLogger(Ui.class);
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
  static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);

  final Vertx vertx;
  final HistoryQueries queries;
  final UiQueries ui;
  final Sources sources;
  final Templates templates;
  private final String publicUrl;

  /** Whole answers of the hot pages, until the next check that changed something. */
  final io.pricetide.http.ReadCache cache;
  private final java.util.concurrent.ConcurrentHashMap<String, io.vertx.core.Future<io.vertx.core.buffer.Buffer>>
      building = new java.util.concurrent.ConcurrentHashMap<>();

  Ui(Vertx vertx, HistoryQueries queries, UiQueries ui, Sources sources, Templates templates, String publicUrl) {
    this(vertx, queries, ui, sources, templates, publicUrl, new io.pricetide.http.ReadCache(0, 0));
  }

  Ui(Vertx vertx, HistoryQueries queries, UiQueries ui, Sources sources, Templates templates, String publicUrl,
      io.pricetide.http.ReadCache cache) {
    this.cache = cache;
    this.publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.replaceAll("/+$", "");
    this.vertx = vertx;
    this.queries = queries;
    this.ui = ui;
    this.sources = sources;
    this.templates = templates;
  }

  /** A page that is not found, or a request that is wrong: status and message. */
  static final class PageException extends RuntimeException {
    final int status;

    PageException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** Builds the page model off the event loop, renders {@code template} and answers HTML. */
  void page(RoutingContext ctx, String template, String title, String nav, Callable<Map<String, Object>> build) {
    vertx.executeBlocking(() -> {
      Map<String, Object> m = new LinkedHashMap<>(build.call());
      m.putIfAbsent("title", title);
      m.put("nav", nav(nav));
      return templates.render(template, m);
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        html(ctx, 200, ar.result());
      } else if (ar.cause() instanceof PageException pe) {
        errorPage(ctx, pe.status, pe.getMessage());
      } else {
        LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ar.cause());
        errorPage(ctx, 500, "Something went wrong on our side.");
      }
    });
  }

  /**
   * As {@link #page}, answered from {@code cache} when this address's page is there (until the next check that
   * changed something), and stored there when built.
   */
  void cachedPage(RoutingContext ctx, io.pricetide.http.ReadCache cache, String template, String title, String nav,
      Callable<Map<String, Object>> build) {
    String key = "page " + ctx.request().uri();
    io.vertx.core.buffer.Buffer hit = cache.get(key);
    if (hit != null) {
      html(ctx, 200, hit);
      return;
    }
    long generation = cache.generation();
    // Requests for a page being built wait for that build instead of building it again (no stampede of misses).
    // The build is registered before it starts, so a build that ends at once cannot race its own registration.
    String k = key + '\0' + generation;
    io.vertx.core.Promise<io.vertx.core.buffer.Buffer> mine = io.vertx.core.Promise.promise();
    io.vertx.core.Future<io.vertx.core.buffer.Buffer> running = building.putIfAbsent(k, mine.future());
    io.vertx.core.Future<io.vertx.core.buffer.Buffer> built = running != null ? running : mine.future();
    if (running == null) {
      vertx.executeBlocking(() -> {
        Map<String, Object> m = new LinkedHashMap<>(build.call());
        m.putIfAbsent("title", title);
        m.put("nav", nav(nav));
        return io.vertx.core.buffer.Buffer.buffer(templates.render(template, m));
      }, false).onComplete(ar -> {
        if (ar.succeeded()) {
          cache.put(key, generation, ar.result());
        }
        building.remove(k, mine.future());
        mine.handle(ar);
      });
    }
    built.onComplete(ar -> {
      if (ar.succeeded()) {
        html(ctx, 200, ar.result());
      } else if (ar.cause() instanceof PageException pe) {
        errorPage(ctx, pe.status, pe.getMessage());
      } else {
        LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ar.cause());
        errorPage(ctx, 500, "Something went wrong on our side.");
      }
    });
  }

  /** Answers a download or a feed built off the event loop. */
  void download(RoutingContext ctx, String contentType, String filename, Callable<String> build) {
    vertx.executeBlocking(build).onComplete(ar -> {
      if (ar.succeeded()) {
        var r = ctx.response().putHeader("Content-Type", contentType).putHeader("X-Content-Type-Options", "nosniff")
            .putHeader("Cache-Control", "no-cache");
        if (filename != null) {
          r.putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        }
        r.end(ar.result());
      } else if (ar.cause() instanceof PageException pe) {
        JsonReplies.error(ctx, pe.status, pe.getMessage());
      } else {
        JsonReplies.internalError(ctx, LOG, ar.cause());
      }
    });
  }

  void errorPage(RoutingContext ctx, int status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("title", status == 404 ? "Not found" : "Error " + status);
    m.put("status", status);
    m.put("message", message);
    m.put("nav", nav(""));
    String body;
    try {
      body = templates.render("error", m);
    } catch (RuntimeException e) {
      LOG.error("rendering the error page failed", e);
      body = "<!doctype html><title>Error</title><p>" + Html.escape(message) + "</p>";
    }
    html(ctx, status, body);
  }

  static void html(RoutingContext ctx, int status, String body) {
    html(ctx, status, io.vertx.core.buffer.Buffer.buffer(body));
  }

  static void html(RoutingContext ctx, int status, io.vertx.core.buffer.Buffer body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin").putHeader("Cache-Control", "no-cache").end(body);
  }

  private static List<Map<String, Object>> nav(String current) {
    List<Map<String, Object>> out = new ArrayList<>();
    String[][] items = {{"prices", "/", "Prices"}, {"compare", "/compare", "Compare"}, {"calculator",
        "/calculator", "Calculator"}, {"changes", "/changes",
        "Changes"}, {"usage", "/usage", "Usage"}, {"sources", "/sources", "Sources"}, {"subscribe", "/subscribe",
        "Subscribe"}};
    for (String[] i : items) {
      out.add(Map.of("href", i[1], "label", i[2], "current", i[0].equals(current)));
    }
    return out;
  }

  /** The base URL of links in feeds: the configured public URL, else scheme and authority of this request. */
  String base(RoutingContext ctx) {
    if (publicUrl != null) {
      return publicUrl;
    }
    try {
      URI u = URI.create(ctx.request().absoluteURI());
      return u.getScheme() + "://" + u.getRawAuthority();
    } catch (RuntimeException e) {
      return "http://localhost";
    }
  }

  static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** The vendor sources (a price source with a provider): their rows are first-party prices. */
  java.util.Set<String> firstParty() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    sources.all().stream().filter(s -> "prices".equals(s.kind()) && !s.provider().isEmpty())
        .forEach(s -> out.add(s.id()));
    return out;
  }

  /** The kind of a source, {@code prices} when its file is gone. */
  String kindOf(String sourceId) {
    return sources.source(sourceId).map(SourceDefinition::kind).orElse("prices");
  }

  static String usd(BigDecimal d) {
    return d == null ? "" : "$" + Decimals.money(d);
  }

  /**
   * A price of {@code metric} with its unit where it is not per token: {@code $2.50} for a token price (the pages
   * say "per 1M tokens" once, in their captions), {@code $0.04 / image}, {@code $10.00 / 1k calls} otherwise.
   */
  static String price(BigDecimal usd, String metric) {
    if (usd == null) {
      return "";
    }
    return io.pricetide.price.Metrics.perToken(metric) ? usd(usd) : usd(usd) + " / " + unit(metric);
  }

  /** What a price of {@code metric} is for: {@code 1M tokens}, {@code image}, {@code second}, {@code 1k calls}. */
  static String unit(String metric) {
    return io.pricetide.price.Metrics.quantity(metric).label();
  }

  static String day(Instant i) {
    return i == null ? "" : DAY.format(i);
  }

  static String minute(Instant i) {
    return i == null ? "" : MINUTE.format(i);
  }

  static Map<String, Object> time(Instant i) {
    return i == null ? Map.of() : Map.of("iso", i.toString(), "day", day(i), "minute", minute(i));
  }
}
