package io.pricetide.web;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The cheapest models for a workload: a month's tokens (input not read from a cache, input read from a cache,
 * output) priced at each offer's current base prices (no condition: not batch, priority or a context tier), one
 * offer per canonical model (its cheapest that passes the filters), ranked by monthly cost. Pure: the current prices,
 * which sources are first-party, and what is known of each model come in; the ranking goes out.
 *
 * <p>Rules: cached input is charged at the offer's {@code cache_read} price, or at its input price where it has
 * none; an offer without a price the workload needs (an output price when output tokens are asked for) cannot be
 * costed and is left out; with {@code hideFree} (the default) an offer whose input or output price is zero is left
 * out too (catalogues list placeholders and free tiers at $0.00, which would otherwise rank first); a context or
 * modality filter keeps only models known to meet it (an unknown context window does not pass a context filter);
 * a workload with output tokens is costed only on models that write text: a model every catalogue that states its
 * kind calls an embedding, image, audio or rerank model (whose "input" and "output" prices are per pixel or step)
 * is left out, while a model of unknown kind stays.
 */
final class Workloads {
  static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  /** Kinds of model that write text: a workload with output tokens is costed only on these (or unknown kinds). */
  static final Set<String> TEXT_KINDS = Set.of("chat", "completion", "responses");

  private Workloads() {}

  /** What a month of use looks like, and the filters. */
  record Workload(long input, long cachedInput, long output, Long context, String modality, boolean firstPartyOnly,
      boolean hideFree) {
    boolean wants(String metric) {
      return switch (metric) {
        case "input" -> input > 0 || cachedInput > 0;
        case "output" -> output > 0;
        default -> false;
      };
    }
  }

  /** What is known of a model beyond its prices (context window, input modalities); empty when unknown. */
  interface Facts {
    Long context(String canonicalModel);

    Set<String> inputModalities(String canonicalModel);

    /** The kinds the catalogues give the model ({@code chat}, {@code embedding}, {@code image_generation}). */
    Set<String> kinds(String canonicalModel);

    Facts NONE = new Facts() {
      @Override
      public Long context(String canonicalModel) {
        return null;
      }

      @Override
      public Set<String> inputModalities(String canonicalModel) {
        return Set.of();
      }

      @Override
      public Set<String> kinds(String canonicalModel) {
        return Set.of();
      }
    };
  }

  /** One costed offer: a model as one source sells it. */
  record Offer(String canonical, String source, String provider, String model, boolean firstParty, BigDecimal input,
      BigDecimal cachedInput, BigDecimal output, BigDecimal monthly, int offers, Long context) {}

  /** The ranking and how many offers each filter left out. */
  record Ranking(List<Offer> offers, int costed, int leftFree, int leftUnpriced, int leftFilters) {}

  /**
   * Ranks {@code prices} (rows of the current price list: source, provider, model, canonical_model, metric,
   * condition, usd_per_1m) for {@code w}; {@code firstParty} says which sources are vendors' own pages.
   */
  static Ranking rank(Iterable<JsonObject> prices, Predicate<String> firstParty, Facts facts, Workload w) {
    Map<String, Map<String, BigDecimal>> bySeries = new LinkedHashMap<>();
    Map<String, JsonObject> heads = new HashMap<>();
    for (JsonObject p : prices) {
      String cond = p.getString("condition");
      String metric = p.getString("metric");
      String usd = p.getString("usd_per_1m");
      if ((cond != null && !cond.isBlank()) || usd == null
          || !(metric.equals("input") || metric.equals("output") || metric.equals("cache_read"))) {
        continue;
      }
      String key = p.getString("source") + "\u0000" + p.getString("model");
      bySeries.computeIfAbsent(key, k -> new HashMap<>()).put(metric, new BigDecimal(usd));
      heads.putIfAbsent(key, p);
    }
    Map<String, List<Offer>> byModel = new LinkedHashMap<>();
    int free = 0;
    int unpriced = 0;
    int filtered = 0;
    for (Map.Entry<String, Map<String, BigDecimal>> e : bySeries.entrySet()) {
      JsonObject head = heads.get(e.getKey());
      Map<String, BigDecimal> m = e.getValue();
      String source = head.getString("source");
      String canonical = head.getString("canonical_model");
      boolean vendor = firstParty.test(source);
      BigDecimal in = m.get("input");
      BigDecimal out = m.get("output");
      BigDecimal cached = m.getOrDefault("cache_read", in);
      if ((w.wants("input") && in == null) || (w.wants("output") && out == null)) {
        unpriced++;
        continue;
      }
      if (w.hideFree() && ((in != null && in.signum() == 0) || (out != null && out.signum() == 0))) {
        free++;
        continue;
      }
      Long context = facts.context(canonical);
      Set<String> kinds = facts.kinds(canonical);
      boolean writesText = kinds.isEmpty() || kinds.stream().anyMatch(TEXT_KINDS::contains);
      if ((w.firstPartyOnly() && !vendor) || (w.context() != null && (context == null || context < w.context()))
          || (w.output() > 0 && !writesText)
          || (w.modality() != null && !facts.inputModalities(canonical).contains(w.modality()))) {
        filtered++;
        continue;
      }
      BigDecimal monthly = cost(w.input(), in).add(cost(w.cachedInput(), cached)).add(cost(w.output(), out));
      byModel.computeIfAbsent(canonical, k -> new ArrayList<>()).add(new Offer(canonical, source,
          head.getString("provider"), head.getString("model"), vendor, in, cached, out, monthly, 0, context));
    }
    Comparator<Offer> cheapest = Comparator.comparing(Offer::monthly)
        .thenComparing(o -> !o.firstParty()).thenComparing(Offer::source).thenComparing(Offer::model);
    List<Offer> ranked = new ArrayList<>();
    int costed = 0;
    for (List<Offer> offers : byModel.values()) {
      costed += offers.size();
      Offer best = offers.stream().min(cheapest).orElseThrow();
      ranked.add(new Offer(best.canonical(), best.source(), best.provider(), best.model(), best.firstParty(),
          best.input(), best.cachedInput(), best.output(), best.monthly(), offers.size(), best.context()));
    }
    ranked.sort(cheapest.thenComparing(Offer::canonical));
    return new Ranking(ranked, costed, free, unpriced, filtered);
  }

  private static BigDecimal cost(long tokens, BigDecimal perMillion) {
    if (tokens == 0 || perMillion == null) {
      return BigDecimal.ZERO;
    }
    return perMillion.multiply(BigDecimal.valueOf(tokens)).divide(MILLION, MathContext.DECIMAL64);
  }
}
