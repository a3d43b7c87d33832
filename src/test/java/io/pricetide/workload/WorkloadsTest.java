package io.pricetide.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WorkloadsTest {
  private final List<JsonObject> prices = new ArrayList<>();

  private void price(String source, String model, String canonical, String metric, String cond, String usd) {
    prices.add(new JsonObject().put("source", source).put("provider", "p").put("model", model)
        .put("canonical_model", canonical).put("metric", metric).put("condition", cond).put("usd_per_1m", usd));
  }

  private static Workloads.Workload w(long in, long cached, long out) {
    return new Workloads.Workload(in, cached, out, null, null, false, true);
  }

  private Workloads.Ranking rank(Workloads.Workload w) {
    return Workloads.rank(prices, "vendor"::equals, Workloads.Facts.NONE, w);
  }

  @Test
  @DisplayName("Monthly cost is input, cached input (at cache-read, else input) and output priced per 1M; "
      + "one offer per model, its cheapest, ranked")
  void costs() {
    price("vendor", "Big", "big", "input", null, "2.50");
    price("vendor", "Big", "big", "output", null, "10");
    price("vendor", "Big", "big", "cache_read", null, "1.25");
    price("cat", "x/big", "big", "input", null, "2");
    price("cat", "x/big", "big", "output", null, "10");
    price("vendor", "Small", "small", "input", null, "0.15");
    price("vendor", "Small", "small", "output", null, "0.60");
    price("vendor", "Big", "big", "input", "batch", "0.01");
    Workloads.Ranking r = rank(w(10_000_000, 4_000_000, 2_000_000));
    assertEquals(List.of("small", "big"), r.offers().stream().map(Workloads.Offer::canonical).toList());
    // small: 10 x 0.15 + 4 x 0.15 (no cache price: input's) + 2 x 0.60 = 3.30
    assertEquals(0, new BigDecimal("3.30").compareTo(r.offers().get(0).monthly()));
    // big at the vendor: 25 + 4 x 1.25 + 20 = 50; at the catalogue: 20 + 4 x 2 + 20 = 48 (the cheaper offer)
    Workloads.Offer big = r.offers().get(1);
    assertEquals("cat", big.source());
    assertEquals(0, new BigDecimal("48").compareTo(big.monthly()));
    assertEquals(2, big.offers());
  }

  @Test
  @DisplayName("$0.00 listings and offers without a price the workload needs are left out and counted; "
      + "first-party only keeps vendors' rows")
  void filters() {
    price("vendor", "Big", "big", "input", null, "2.50");
    price("vendor", "Big", "big", "output", null, "10");
    price("cat", "free/big", "big", "input", null, "0");
    price("cat", "free/big", "big", "output", null, "0");
    price("cat", "embed", "embed", "input", null, "0.02");
    price("cat", "cheap", "cheap", "input", null, "0.1");
    price("cat", "cheap", "cheap", "output", null, "0.2");
    Workloads.Ranking r = rank(w(1_000_000, 0, 1_000_000));
    assertEquals(List.of("cheap", "big"), r.offers().stream().map(Workloads.Offer::canonical).toList());
    assertEquals(1, r.leftFree());
    assertEquals(1, r.leftUnpriced(), "the embedding model has no output price");
    Workloads.Ranking withFree = Workloads.rank(prices, "vendor"::equals, Workloads.Facts.NONE,
        new Workloads.Workload(1_000_000, 0, 1_000_000, null, null, false, false));
    assertEquals("big", withFree.offers().get(0).canonical(), "shown free, the $0.00 listing ranks first");
    Workloads.Ranking vendors = Workloads.rank(prices, "vendor"::equals, Workloads.Facts.NONE,
        new Workloads.Workload(1_000_000, 0, 1_000_000, null, null, true, true));
    assertEquals(List.of("big"), vendors.offers().stream().map(Workloads.Offer::canonical).toList());
    Workloads.Ranking inputOnly = rank(w(1_000_000, 0, 0));
    assertEquals("embed", inputOnly.offers().get(0).canonical(), "no output asked: an input-only model is costed");
  }

  @Test
  @DisplayName("A context or modality filter keeps only models known to meet it")
  void facts() {
    price("cat", "a", "a", "input", null, "1");
    price("cat", "a", "a", "output", null, "1");
    price("cat", "b", "b", "input", null, "2");
    price("cat", "b", "b", "output", null, "2");
    price("cat", "c", "c", "input", null, "3");
    price("cat", "c", "c", "output", null, "3");
    Map<String, Long> ctx = Map.of("a", 32_000L, "b", 200_000L);
    Workloads.Facts facts = new Workloads.Facts() {
      @Override
      public Long context(String m) {
        return ctx.get(m);
      }

      @Override
      public Set<String> inputModalities(String m) {
        return m.equals("c") ? Set.of("text", "image") : Set.of("text");
      }

      @Override
      public Set<String> kinds(String m) {
        return m.equals("b") ? Set.of("image_generation") : m.equals("c") ? Set.of("chat", "embedding") : Set.of();
      }
    };
    Workloads.Ranking big = Workloads.rank(prices, s -> false, facts,
        new Workloads.Workload(1, 0, 1, 128_000L, null, false, true));
    assertEquals(List.of(), big.offers().stream().map(Workloads.Offer::canonical).toList());
    assertEquals(3, big.leftFilters(), "a is too small, b writes images, c's window is unknown");
    Workloads.Ranking inputOnly = Workloads.rank(prices, s -> false, facts,
        new Workloads.Workload(1, 0, 0, 128_000L, null, false, true));
    assertEquals(List.of("b"), inputOnly.offers().stream().map(Workloads.Offer::canonical).toList(),
        "with no output asked, the kind does not matter");
    Workloads.Ranking text = Workloads.rank(prices, s -> false, facts, new Workloads.Workload(1, 0, 1, null, null,
        false, true));
    assertEquals(List.of("a", "c"), text.offers().stream().map(Workloads.Offer::canonical).toList(),
        "unknown kind and a chat model stay; an image model goes");
    Workloads.Ranking images = Workloads.rank(prices, s -> false, facts,
        new Workloads.Workload(1, 0, 1, null, "image", false, true));
    assertEquals(List.of("c"), images.offers().stream().map(Workloads.Offer::canonical).toList());
  }

  @Test
  @DisplayName("A text workload skips models that read only audio and, with output asked, models whose stated "
      + "outputs lack text; unknown modalities stay")
  void statedModalities() {
    for (String m : List.of("whisper", "painter", "chat", "unknown")) {
      price("cat", m, m, "input", null, m.equals("unknown") ? "4" : "1");
      price("cat", m, m, "output", null, "1");
    }
    Map<String, Set<String>> in = Map.of("whisper", Set.of("audio"), "painter", Set.of("text"), "chat",
        Set.of("text", "image"));
    Map<String, Set<String>> out = Map.of("whisper", Set.of("text"), "painter", Set.of("image"), "chat",
        Set.of("text"));
    Workloads.Facts facts = new Workloads.Facts() {
      @Override
      public Long context(String m) {
        return null;
      }

      @Override
      public Set<String> inputModalities(String m) {
        return in.getOrDefault(m, Set.of());
      }

      @Override
      public Set<String> outputModalities(String m) {
        return out.getOrDefault(m, Set.of());
      }

      @Override
      public Set<String> kinds(String m) {
        return Set.of();
      }
    };
    Workloads.Ranking text = Workloads.rank(prices, s -> false, facts, new Workloads.Workload(1_000_000, 0,
        1_000_000, null, null, false, true));
    assertEquals(List.of("chat", "unknown"), text.offers().stream().map(Workloads.Offer::canonical).toList());
    assertEquals(2, text.leftFilters(), "the speech-to-text model and the image writer");
    Workloads.Ranking inputOnly = Workloads.rank(prices, s -> false, facts, new Workloads.Workload(1_000_000, 0, 0,
        null, null, false, true));
    assertEquals(List.of("chat", "painter", "unknown"), inputOnly.offers().stream().map(Workloads.Offer::canonical)
        .toList(), "no output asked: what a model writes does not matter, what it reads does");
    Workloads.Ranking audio = Workloads.rank(prices, s -> false, facts, new Workloads.Workload(1_000_000, 0,
        1_000_000, null, "audio", false, true));
    assertEquals(List.of("whisper"), audio.offers().stream().map(Workloads.Offer::canonical).toList());
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} parses to in={1} cached={2} out={3} context={4}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
      in=2.5M&out=500k            | 2500000  | 0       | 500000  |
      (none)                      | 10000000 | 0       | 2000000 |
      in=1,000,000&cached=1B      | 1000000  | 1000000000 | 0    |
      out=3&context=128k          | 0        | 0       | 3       | 128000
      """)
  void parsesTheCalculatorParameters(String query, long in, long cached, long out, Long context) {
    Map<String, String> q = new java.util.HashMap<>();
    if (!query.equals("(none)")) {
      for (String kv : query.split("&")) {
        q.put(kv.split("=")[0], kv.split("=")[1]);
      }
    }
    Workloads.Workload w = Workloads.Workload.parse(q::get);
    assertEquals(new Workloads.Workload(in, cached, out, context, null, false, true), w);
    Map<String, String> again = new java.util.HashMap<>();
    for (String kv : w.query().split("&")) {
      again.put(kv.split("=")[0], kv.split("=")[1]);
    }
    assertEquals(w, Workloads.Workload.parse(again::get), "the query string names the same workload");
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}={1} is refused: {2}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
      in          | lots  | 'in' must be a token count such as 2500000 or 2.5M, not 'lots'
      out         | -5    | 'out' must be a token count
      modality    | smell | modality must be one of audio, file, image, text, video, not 'smell'
      first_party | maybe | 'first_party' must be 1 or 0 (true or false), not 'maybe'
      """)
  void refusesBadParameters(String name, String value, String message) {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Workloads.Workload.parse(Map.of(name, value)::get));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  @DisplayName("Flags, modality and the description of a workload for people")
  void flagsAndDescription() {
    Workloads.Workload w = Workloads.Workload.parse(Map.of("in", "10M", "out", "2M", "first_party", "true",
        "free", "1", "modality", "Image", "context", "128k")::get);
    assertEquals(new Workloads.Workload(10_000_000, 0, 2_000_000, 128_000L, "image", true, false), w);
    assertEquals("10M input, 2M output tokens a month; context of 128k tokens or more; reads image; vendors' own "
        + "prices only; $0.00 listings included", w.describe());
    assertEquals("in=10000000&cached=0&out=2000000&context=128000&modality=image&first_party=1&free=1", w.query());
  }
}
