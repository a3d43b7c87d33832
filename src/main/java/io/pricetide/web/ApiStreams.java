package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.history.HistoryQueries;
import io.pricetide.history.HistoryQueries.EventFilter;
import io.pricetide.history.HistoryQueries.PriceKey;
import io.pricetide.http.JsonReplies;
import io.pricetide.http.ReadCache;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * {@code /api/prices} and {@code /api/changes}: paged by a limit and a cursor, each page read on an index in its
 * order and streamed as read. A page asks for one row more than it shows, to know whether a next page exists.
 */
final class ApiStreams {
  static final int DEFAULT_PRICES = 1000;
  static final int MAX_PRICES = 5000;
  static final int DEFAULT_CHANGES = 100;
  static final int MAX_CHANGES = WebVerticle.MAX_LIMIT;

  private final Vertx vertx;
  private final HistoryQueries queries;
  private final ReadCache cache;

  ApiStreams(Vertx vertx, HistoryQueries queries) {
    this(vertx, queries, new ReadCache(0, 0));
  }

  ApiStreams(Vertx vertx, HistoryQueries queries, ReadCache cache) {
    this.vertx = vertx;
    this.queries = queries;
    this.cache = cache;
  }

  /**
   * {@code /api/prices?provider=&model=&at=&limit=&cursor=}: {@code {"prices": […], "next_cursor": …}}, with
   * {@code "at"} when asked: the prices valid at that date's end or that instant. A first page (no cursor) is
   * answered from the cache until the next check that changed something.
   */
  void prices(RoutingContext ctx) {
    Integer limit = limit(ctx, DEFAULT_PRICES, MAX_PRICES);
    if (limit == null) {
      return;
    }
    PriceKey after;
    try {
      after = decode(JsonReplies.param(ctx, "cursor"));
    } catch (IllegalArgumentException | ClassCastException | io.vertx.core.json.DecodeException e) {
      JsonReplies.error(ctx, 400, "bad parameter 'cursor': not a cursor this API gave");
      return;
    }
    Instant at;
    try {
      at = SeriesStream.time(JsonReplies.param(ctx, "at"), true);
    } catch (DateTimeParseException e) {
      JsonReplies.error(ctx, 400, "bad parameter 'at': not a date (2025-06-01) or an instant "
          + "(2025-06-01T12:00:00Z)");
      return;
    }
    String provider = JsonReplies.param(ctx, "provider");
    String model = JsonReplies.param(ctx, "model");
    Chunks.Work page = out -> {
      out.add("{\"prices\":[");
      int[] n = {0};
      JsonObject[] last = {null};
      boolean[] more = {false};
      java.util.function.Consumer<JsonObject> each = p -> {
        if (n[0] == limit) {
          more[0] = true;
          return;
        }
        out.add(n[0] == 0 ? "" : ",").add(p.encode());
        last[0] = p;
        n[0]++;
      };
      if (at == null) {
        queries.eachPrice(provider, model, after, limit + 1, each);
      } else {
        queries.eachPriceAt(provider, model, at, after, limit + 1, each);
      }
      out.add("],");
      if (at != null) {
        out.name("at").str(at.toString()).add(",");
      }
      out.name("next_cursor").str(more[0] ? encode(PriceKey.of(last[0])) : null).add("}");
    };
    if (after == null) {
      Chunks.cached(vertx, ctx, cache, "application/json; charset=utf-8", page);
    } else {
      Chunks.answer(vertx, ctx, "application/json; charset=utf-8", null, page);
    }
  }

  /** {@code /api/changes?source=&provider=&kind=&model=&since=&limit=&cursor=}, newest first. */
  void changes(RoutingContext ctx) {
    Integer limit = limit(ctx, DEFAULT_CHANGES, MAX_CHANGES);
    if (limit == null) {
      return;
    }
    Instant since;
    Long cursor;
    try {
      since = SeriesStream.time(JsonReplies.param(ctx, "since"), false);
      cursor = JsonReplies.param(ctx, "cursor") == null ? null : Long.parseLong(JsonReplies.param(ctx, "cursor"));
    } catch (NumberFormatException | DateTimeParseException e) {
      JsonReplies.error(ctx, 400, "bad parameter: " + e.getMessage());
      return;
    }
    EventFilter f = new EventFilter(JsonReplies.param(ctx, "source"), JsonReplies.param(ctx, "provider"),
        JsonReplies.param(ctx, "kind"), JsonReplies.param(ctx, "model"), since, cursor, limit + 1, true);
    Chunks.answer(vertx, ctx, "application/json; charset=utf-8", null, out -> {
      out.add("{\"changes\":[");
      int[] n = {0};
      long[] lastId = {0};
      boolean[] more = {false};
      queries.eachEvent(f, (ChangeEvent e) -> {
        if (n[0] == limit) {
          more[0] = true;
          return;
        }
        out.add(n[0] == 0 ? "" : ",").add(e.toJson().encode());
        lastId[0] = e.id();
        n[0]++;
      });
      out.add("],").name("next_cursor").str(more[0] ? String.valueOf(lastId[0]) : null).add("}");
    });
  }

  private static Integer limit(RoutingContext ctx, int dflt, int max) {
    String s = JsonReplies.param(ctx, "limit");
    int v;
    try {
      v = s == null ? dflt : Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      v = -1;
    }
    if (v < 1 || v > max) {
      JsonReplies.error(ctx, 400, "limit must be between 1 and " + max);
      return null;
    }
    return v;
  }

  static String encode(PriceKey k) {
    String json = new JsonArray().add(k.provider()).add(k.canonicalModel()).add(k.metric()).add(k.condition())
        .add(k.source()).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static PriceKey decode(String cursor) {
    if (cursor == null) {
      return null;
    }
    JsonArray a = new JsonArray(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
    if (a.size() != 5) {
      throw new IllegalArgumentException("cursor of " + a.size() + " fields");
    }
    for (int i = 0; i < 5; i++) {
      if (a.getString(i) == null) {
        throw new IllegalArgumentException("cursor with an empty field");
      }
    }
    return new PriceKey(a.getString(0), a.getString(1), a.getString(2), a.getString(3), a.getString(4));
  }
}
