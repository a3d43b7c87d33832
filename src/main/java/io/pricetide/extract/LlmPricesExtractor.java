package io.pricetide.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * simonw's llm-prices data, with prices in USD per 1M tokens, in any of its three shapes: the vendor files
 * {@code data/<vendor>.json} merged into one array {@code [{vendor, models: [{id, name, price_history: [{input, output,
 * input_cached, from_date, to_date}]}]}]} (as in the corpus), one such vendor file, or the site's built
 * {@code historical.json} / {@code current.json}, {@code {prices: [{id, vendor, name, input, output, from_date,
 * to_date}]}}, whose records of one vendor and id form that model's history.
 *
 * <ul>
 *   <li>Model: {@code id}, exactly; long-context tiers are separate ids there ({@code gpt-5.6-luna-272k}) and stay
 *       so. Provider: {@code vendor}. An id listed twice is read once, the first time.</li>
 *   <li>The entry in force is the one with {@code from_date <= d < to_date} (a null bound is open), where
 *       {@code d} is the UTC day the document was observed ({@link ExtractContext#observedDate()}), so a price
 *       scheduled for later is not reported before its day and a replayed snapshot is judged as of its own date.
 *       If several match, the latest {@code from_date} wins; a model with none in force is not reported. An entry
 *       starting after {@code d} is an announced change ({@link Observation#effectiveFrom}, from 00:00 UTC of its
 *       {@code from_date}) of the prices that differ from the ones in force before it.</li>
 *   <li>Metrics: {@code input} → input, {@code output} → output, {@code input_cached} → cache_read (often null:
 *       then no cache_read). Negative and non-numeric values are skipped; zero is kept as a listed free price.</li>
 * </ul>
 *
 * <p>Fails on malformed JSON, a document of none of these shapes, no models, or no price in force at all.
 */
final class LlmPricesExtractor implements Extractor {
  static final ExtractorFactory FACTORY = Catalogues.withoutSettings(LlmPricesExtractor::new);

  private static final String[][] FIELDS = {{"input", "input"}, {"output", "output"}, {"input_cached", "cache_read"}};

  /** One model as the document lists it, with its price records. */
  private record Listed(String vendor, String id, List<JsonNode> history) {}

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    JsonNode root = Json.parse(body, ctx);
    List<Listed> models = listed(root, ctx);
    if (models.isEmpty()) {
      throw ctx.fail("no models in the llm-prices document");
    }
    List<Observation> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Listed m : models) {
      if (seen.add(m.id())) {
        Optional<JsonNode> now = inForce(m.history(), ctx.observedDate());
        now.ifPresent(e -> read(m.vendor(), m.id(), e, ctx, out));
        now.ifPresent(e -> announced(m, e, ctx, out));
      }
    }
    if (out.isEmpty()) {
      throw ctx.fail("no price in force on " + ctx.observedDate() + " in " + models.size() + " llm-prices models");
    }
    return out;
  }

  /** The models of any of the three shapes, in document order. */
  private static List<Listed> listed(JsonNode root, ExtractContext ctx) {
    List<Listed> out = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(v -> vendorFile(v, out));
    } else if (root.isObject() && root.has("models")) {
      vendorFile(root, out);
    } else if (root.isObject() && root.has("prices") && root.get("prices").isArray()) {
      Map<List<String>, Listed> byModel = new LinkedHashMap<>();
      for (JsonNode r : root.get("prices")) {
        Optional<String> vendor = r.isObject() ? Catalogues.text(r, "vendor") : Optional.empty();
        Optional<String> id = r.isObject() ? Catalogues.text(r, "id") : Optional.empty();
        if (vendor.isPresent() && id.isPresent()) {
          byModel.computeIfAbsent(List.of(vendor.get(), id.get()),
              k -> new Listed(vendor.get(), id.get(), new ArrayList<>())).history().add(r);
        }
      }
      out.addAll(byModel.values());
    } else {
      throw ctx.fail("expected llm-prices data: an array of vendor files, one vendor file {vendor, models} or "
          + "{prices: [...]}, found " + root.getNodeType());
    }
    return out;
  }

  private static void vendorFile(JsonNode v, List<Listed> out) {
    Optional<String> vendor = v.isObject() ? Catalogues.text(v, "vendor") : Optional.empty();
    JsonNode list = v.isObject() ? v.get("models") : null;
    if (vendor.isEmpty() || list == null || !list.isArray()) {
      return;
    }
    for (JsonNode m : list) {
      Optional<String> id = m.isObject() ? Catalogues.text(m, "id") : Optional.empty();
      JsonNode history = id.isPresent() ? m.get("price_history") : null;
      if (history != null && history.isArray()) {
        List<JsonNode> entries = new ArrayList<>();
        history.forEach(entries::add);
        out.add(new Listed(vendor.get(), id.get(), entries));
      }
    }
  }

  private static void read(String vendor, String model, JsonNode entry, ExtractContext ctx, List<Observation> out) {
    for (String[] f : FIELDS) {
      Catalogues.price(entry.get(f[0]))
          .ifPresent(v -> out.add(ctx.observation(vendor, model, f[1], "", v, Unit.PER_1M, "USD")));
    }
  }

  /**
   * The entries that start after the observed day: each is an announced change of the prices that differ from the
   * ones before it, from the start (00:00 UTC) of its {@code from_date} ({@link Observation#validFrom}).
   */
  private static void announced(Listed m, JsonNode current, ExtractContext ctx, List<Observation> out) {
    java.util.TreeMap<LocalDate, JsonNode> later = new java.util.TreeMap<>();
    for (JsonNode e : m.history()) {
      LocalDate from = e.isObject() ? from(e) : null;
      if (from != null && from.isAfter(ctx.observedDate())) {
        later.putIfAbsent(from, e);
      }
    }
    JsonNode before = current;
    for (Map.Entry<LocalDate, JsonNode> next : later.entrySet()) {
      java.time.Instant at = next.getKey().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      for (String[] f : FIELDS) {
        Optional<java.math.BigDecimal> was = Catalogues.price(before.get(f[0]));
        Optional<java.math.BigDecimal> will = Catalogues.price(next.getValue().get(f[0]));
        if (was.isPresent() && will.isPresent() && was.get().compareTo(will.get()) != 0) {
          out.add(ctx.observation(m.vendor(), m.id(), f[1], "", will.get(), Unit.PER_1M, "USD").validFrom(at));
        }
      }
      before = next.getValue();
    }
  }

  private static LocalDate from(JsonNode e) {
    try {
      return Catalogues.text(e, "from_date").map(LlmPricesExtractor::date).orElse(null);
    } catch (DateTimeParseException | IndexOutOfBoundsException ex) {
      return null;
    }
  }

  /** The history entry in force on {@code day}: from_date <= day < to_date, the latest from_date first. */
  static Optional<JsonNode> inForce(List<JsonNode> history, LocalDate day) {
    JsonNode best = null;
    LocalDate bestFrom = null;
    for (JsonNode e : history) {
      if (!e.isObject()) {
        continue;
      }
      LocalDate from;
      LocalDate to;
      try {
        from = Catalogues.text(e, "from_date").map(LlmPricesExtractor::date).orElse(null);
        to = Catalogues.text(e, "to_date").map(LlmPricesExtractor::date).orElse(null);
      } catch (DateTimeParseException | IndexOutOfBoundsException ex) {
        continue;
      }
      boolean holds = (from == null || !from.isAfter(day)) && (to == null || day.isBefore(to));
      if (holds && (best == null || (from != null && (bestFrom == null || from.isAfter(bestFrom))))) {
        best = e;
        bestFrom = from;
      }
    }
    return Optional.ofNullable(best);
  }

  private static LocalDate date(String text) {
    return LocalDate.parse(text.substring(0, 10));
  }
}
