package io.pricetide.extract;

import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import io.pricetide.price.Unit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects one extraction's observations through {@link ExtractContext#observation}, so every vendor rounds and
 * converts alike. A series seen twice with the same value is kept once (pages repeat a table in a summary); seen
 * twice with different values the page is ambiguous and {@link #result} fails naming the series. No observation at
 * all is a failure too: a vendor extractor never returns an empty list.
 */
final class PriceSink {
  private final ExtractContext ctx;
  private final Map<SeriesKey, Observation> seen = new LinkedHashMap<>();
  private final List<String> conflicts = new ArrayList<>();
  private final List<Observation> announced = new ArrayList<>();
  /** Models the page lists in a table of a metric whose values this read could not place ({@link #unread}). */
  private final Map<String, java.util.Set<String>> unread = new LinkedHashMap<>();
  /** Retirement dates by model, the latest a page gives a model ({@link #retires}). */
  private final Map<String, java.time.LocalDate> retirements = new LinkedHashMap<>();

  PriceSink(ExtractContext ctx) {
    this.ctx = ctx;
  }

  /** Adds a price quoted per {@code unit} in {@code currency} (the source's currency when null). */
  void add(String model, String metric, String condition, BigDecimal amount, Unit unit, String currency) {
    String cur = currency != null ? currency : ctx.source().currency();
    Observation o = ctx.observation(ctx.source().provider(), model, metric, condition, amount, unit, cur);
    Observation prior = seen.putIfAbsent(o.key(), o);
    if (prior != null && (prior.value().compareTo(o.value()) != 0 || !prior.currency().equals(o.currency()))) {
      conflicts.add(o.key() + ": " + prior.value() + " " + prior.currency() + " and " + o.value() + " "
          + o.currency());
    }
  }

  /**
   * Adds a price the page announces from {@code from} (an observation with {@link Observation#effectiveFrom}): on
   * the same series as the price now, so it is kept apart from it; null {@code from} is {@link #add}.
   */
  void announce(String model, String metric, String condition, BigDecimal amount, Unit unit, String currency,
      java.time.Instant from) {
    if (from == null) {
      add(model, metric, condition, amount, unit, currency);
      return;
    }
    String cur = currency != null ? currency : ctx.source().currency();
    announced.add(ctx.observation(ctx.source().provider(), model, metric, condition, amount, unit, cur)
        .validFrom(from));
  }

  /**
   * Records the retirement date a page states for a model it prices ({@link io.pricetide.price.ModelFacts#DEPRECATION}
   * in {@link #result}, as catalogues give it); of two dates for one model the later is kept (a page saying when a
   * model is deprecated and when it shuts down retires it at the second).
   */
  void retires(String model, java.time.LocalDate date) {
    retirements.merge(model, date, (a, b) -> a.isAfter(b) ? a : b);
  }

  /**
   * Records that the page still lists {@code model} with prices of {@code metric} that could not be read this time
   * (a copy that lost a sub-table's column headers): {@link io.pricetide.price.ModelFacts#UNREAD} in
   * {@link #result}, so history keeps that model's series of the metric as they are instead of counting them missing.
   */
  void unread(String model, String metric) {
    if (model != null && !model.isBlank()) {
      unread.computeIfAbsent(model, k -> new java.util.LinkedHashSet<>()).add(metric);
    }
  }

  /** The models priced so far, in page order. */
  java.util.Set<String> models() {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    seen.keySet().forEach(k -> out.add(k.model()));
    announced.forEach(o -> out.add(o.model()));
    return out;
  }

  boolean isEmpty() {
    return seen.isEmpty();
  }

  int size() {
    return seen.size();
  }

  /** The observations, or a loud failure when there are none or a series has two prices. */
  List<Observation> result(String expected) {
    if (!conflicts.isEmpty()) {
      throw ctx.fail("the page gives two different prices for one series: " + String.join("; ", conflicts));
    }
    if (seen.isEmpty() && announced.isEmpty()) {
      throw ctx.fail("no prices found (format " + ctx.format() + "); expected " + expected);
    }
    List<Observation> out = new ArrayList<>(seen.values());
    out.addAll(announced);
    unread.forEach((model, metrics) -> metrics.forEach(metric -> ctx.textFact(ctx.source().provider(), model,
        io.pricetide.price.ModelFacts.UNREAD, metric).ifPresent(out::add)));
    java.util.Set<String> priced = models();
    retirements.forEach((model, date) -> {
      if (priced.contains(model)) {
        ctx.textFact(ctx.source().provider(), model, io.pricetide.price.ModelFacts.DEPRECATION, date.toString())
            .ifPresent(out::add);
      }
    });
    return List.copyOf(out);
  }
}
