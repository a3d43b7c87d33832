package io.pricetide.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * pydantic's genai-prices {@code prices/data.json}: a list of providers {@code {id, models: [{id, prices}]}} with
 * prices already in USD per 1M tokens.
 *
 * <ul>
 *   <li>Model: {@code <provider id>/<model id>} ({@code openai/gpt-4o}, {@code aws/amazon.nova-pro-v1:0}), because
 *       the same model id is listed by several providers at different prices; every provider is kept, including
 *       resellers and hosts ({@code aws}, {@code azure}, {@code openrouter}, {@code huggingface_*}): each is a
 *       distinct price someone pays. Provider: the provider id.</li>
 *   <li>Metrics: {@code input_mtok} → input, {@code output_mtok} → output, {@code cache_read_mtok} → cache_read,
 *       {@code cache_write_mtok} → cache_write. Audio prices and request counts are not read.</li>
 *   <li>Tiered prices {@code {base, tiers: [{start: 200000, price}]}}: the base unconditioned, each tier under
 *       {@code >200k}.</li>
 *   <li>Conditional price lists {@code [{constraint?, prices}]} follow genai-prices' rule that the last entry whose
 *       constraint holds wins. {@code constraint.start_date} holds from the start of that UTC day on (or from the
 *       instant, when it gives a time), judged against the time the document was observed
 *       ({@link ExtractContext#observedAt()}), so a replayed snapshot is judged as of its own date. A price scheduled
 *       for later is not in force yet: each later start date is reported as an announced change
 *       ({@link Observation#effectiveFrom}) of the prices that differ once it holds, on the same series. {@code start_time} /
 *       {@code end_time} (UTC, end exclusive, may wrap midnight) split the day into bands: the price in force for
 *       the longest part of the day is reported unconditioned and every other band under {@code UTC hh:mm-hh:mm}.
 *       For DeepSeek, whose unconstrained entry is its off-peak price, that makes the standard price unconditioned
 *       and the off-peak one {@code UTC 16:30-00:30}. An entry with a constraint we do not know is skipped.</li>
 *   <li>Negative and non-numeric values are skipped; zero is kept as a listed free price.</li>
 * </ul>
 *
 * <p>Fails on malformed JSON, a top level that is not an array, no models, or no token price at all.
 */
final class GenAiPricesExtractor implements Extractor {
  static final ExtractorFactory FACTORY = Catalogues.withoutSettings(GenAiPricesExtractor::new);

  private static final int DAY = 24 * 60;
  private static final Map<String, String> FIELDS = new LinkedHashMap<>();

  static {
    FIELDS.put("input_mtok", "input");
    FIELDS.put("output_mtok", "output");
    FIELDS.put("cache_read_mtok", "cache_read");
    FIELDS.put("cache_write_mtok", "cache_write");
  }

  /** One conditional price: from {@code startDate} (null: always), in the band [start, end) (-1: all day). */
  private record Entry(JsonNode prices, Instant startDate, int startMinute, int endMinute) {
    boolean allDay() {
      return startMinute < 0;
    }

    boolean covers(int minute) {
      if (allDay()) {
        return true;
      }
      return startMinute < endMinute ? minute >= startMinute && minute < endMinute
          : minute >= startMinute || minute < endMinute;
    }
  }

  /** A stretch of the day [start, end) (end may be below start when it wraps midnight) and the entry in force. */
  private record Band(int start, int end, int entry) {
    int minutes() {
      return end > start ? end - start : DAY - start + end;
    }
  }

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    JsonNode root = Json.parse(body, ctx);
    if (!root.isArray()) {
      throw ctx.fail("expected a JSON array of providers (genai-prices data.json), found " + root.getNodeType());
    }
    List<Observation> out = new ArrayList<>();
    int models = 0;
    for (JsonNode provider : root) {
      Optional<String> pid = provider.isObject() ? Catalogues.text(provider, "id") : Optional.empty();
      JsonNode list = provider.isObject() ? provider.get("models") : null;
      if (pid.isEmpty() || list == null || !list.isArray()) {
        continue;
      }
      for (JsonNode m : list) {
        Optional<String> mid = m.isObject() ? Catalogues.text(m, "id") : Optional.empty();
        if (mid.isPresent()) {
          models++;
          read(pid.get(), pid.get() + "/" + mid.get(), m.get("prices"), ctx, out);
        }
      }
    }
    if (models == 0) {
      throw ctx.fail("no models in the genai-prices document");
    }
    if (out.isEmpty()) {
      throw ctx.fail("no token prices in " + models + " genai-prices models");
    }
    return out;
  }

  private void read(String provider, String model, JsonNode prices, ExtractContext ctx, List<Observation> out) {
    List<Entry> entries = entries(prices);
    List<Observation> now = resolve(entries, ctx.observedAt(), provider, model, ctx);
    out.addAll(now);
    // Each later start date is an announced change: the prices that differ once it is in force, from that time.
    TreeSet<Instant> later = new TreeSet<>();
    entries.forEach(e -> {
      if (e.startDate() != null && e.startDate().isAfter(ctx.observedAt())) {
        later.add(e.startDate());
      }
    });
    Map<io.pricetide.price.SeriesKey, Observation> before = new LinkedHashMap<>();
    now.forEach(o -> before.putIfAbsent(o.key(), o));
    for (Instant from : later) {
      for (Observation o : resolve(entries, from, provider, model, ctx)) {
        Observation was = before.get(o.key());
        if (was != null && was.value().compareTo(o.value()) != 0) {
          out.add(o.validFrom(from));
          before.put(o.key(), o);
        }
      }
    }
  }

  /** The prices in force at {@code at}: the entries started by then, split into day bands. */
  private List<Observation> resolve(List<Entry> entries, Instant at, String provider, String model,
      ExtractContext ctx) {
    List<Observation> out = new ArrayList<>();
    List<Entry> inForce = new ArrayList<>();
    for (Entry e : entries) {
      if (e.startDate() == null || !e.startDate().isAfter(at)) {
        inForce.add(e);
      }
    }
    List<Band> bands = bands(inForce);
    if (bands.isEmpty()) {
      return out;
    }
    int[] minutes = new int[inForce.size()];
    bands.forEach(b -> minutes[b.entry()] += b.minutes());
    int main = bands.get(0).entry();
    for (Band b : bands) {
      if (minutes[b.entry()] > minutes[main]) {
        main = b.entry();
      }
    }
    emit(inForce.get(main).prices(), "", provider, model, ctx, out);
    for (Band b : bands) {
      if (b.entry() != main) {
        emit(inForce.get(b.entry()).prices(), Catalogues.utcBand(b.start(), b.end() % DAY), provider, model, ctx, out);
      }
    }
    return out;
  }

  /** The day cut where the price in force changes; the last entry that covers a minute wins it. */
  private static List<Band> bands(List<Entry> entries) {
    TreeSet<Integer> cuts = new TreeSet<>();
    cuts.add(0);
    for (Entry e : entries) {
      if (!e.allDay()) {
        cuts.add(e.startMinute());
        cuts.add(e.endMinute());
      }
    }
    List<Band> bands = new ArrayList<>();
    List<Integer> at = new ArrayList<>(cuts);
    for (int i = 0; i < at.size(); i++) {
      int start = at.get(i);
      int end = i + 1 < at.size() ? at.get(i + 1) : DAY;
      int winner = -1;
      for (int j = 0; j < entries.size(); j++) {
        if (entries.get(j).covers(start)) {
          winner = j;
        }
      }
      Band last = bands.isEmpty() ? null : bands.get(bands.size() - 1);
      if (last != null && last.entry() == winner) {
        bands.set(bands.size() - 1, new Band(last.start(), end, winner));
      } else {
        bands.add(new Band(start, end, winner));
      }
    }
    if (bands.size() > 1 && bands.get(0).entry() == bands.get(bands.size() - 1).entry()) {
      Band first = bands.remove(0);
      Band last = bands.remove(bands.size() - 1);
      bands.add(new Band(last.start(), first.end(), first.entry()));
    }
    bands.removeIf(b -> b.entry() < 0);
    return bands;
  }

  private static List<Entry> entries(JsonNode prices) {
    List<Entry> out = new ArrayList<>();
    if (prices == null) {
      return out;
    }
    if (prices.isObject()) {
      out.add(new Entry(prices, null, -1, -1));
      return out;
    }
    if (prices.isArray()) {
      for (JsonNode c : prices) {
        JsonNode p = c.isObject() ? c.get("prices") : null;
        if (p != null && p.isObject()) {
          entry(p, c.get("constraint")).ifPresent(out::add);
        }
      }
    }
    return out;
  }

  private static Optional<Entry> entry(JsonNode prices, JsonNode constraint) {
    if (constraint == null || constraint.isNull()) {
      return Optional.of(new Entry(prices, null, -1, -1));
    }
    Instant startDate = null;
    int start = -1;
    int end = -1;
    try {
      for (Map.Entry<String, JsonNode> k : constraint.properties()) {
        switch (k.getKey()) {
          case "start_date" -> startDate = start(k.getValue().asText());
          case "start_time" -> start = minuteOfDay(k.getValue().asText());
          case "end_time" -> end = minuteOfDay(k.getValue().asText());
          default -> {
            return Optional.empty();
          }
        }
      }
    } catch (DateTimeParseException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
    if ((start < 0) != (end < 0) || (start >= 0 && start == end)) {
      return Optional.empty();
    }
    return Optional.of(new Entry(prices, startDate, start, end));
  }

  /** A start date ({@code 2026-09-01}: the start of that UTC day) or an instant ({@code 2026-09-01T16:00:00Z}). */
  private static Instant start(String text) {
    String t = text.trim();
    if (t.length() <= 10) {
      return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    try {
      return java.time.OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      return LocalDate.parse(t.substring(0, 10)).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
  }

  /** {@code 16:30:00Z} (any offset; none means UTC) as the minute of the UTC day. */
  private static int minuteOfDay(String time) {
    String t = time.trim();
    OffsetTime ot = OffsetTime.parse(t.matches(".*([Zz]|[+-]\\d\\d:\\d\\d)$") ? t : t + "Z");
    OffsetTime utc = ot.withOffsetSameInstant(ZoneOffset.UTC);
    return utc.getHour() * 60 + utc.getMinute();
  }

  private static void emit(JsonNode prices, String band, String provider, String model, ExtractContext ctx,
      List<Observation> out) {
    for (Map.Entry<String, String> f : FIELDS.entrySet()) {
      JsonNode v = prices.get(f.getKey());
      if (v == null) {
        continue;
      }
      if (v.isObject()) {
        Catalogues.price(v.get("base")).ifPresent(x -> out.add(obs(ctx, provider, model, f.getValue(), "", band, x)));
        JsonNode tiers = v.get("tiers");
        if (tiers != null && tiers.isArray()) {
          for (JsonNode t : tiers) {
            String tier = Json.decimal(t.get("start")).map(Catalogues::above).orElse("");
            if (!tier.isEmpty()) {
              Catalogues.price(t.get("price"))
                  .ifPresent(x -> out.add(obs(ctx, provider, model, f.getValue(), tier, band, x)));
            }
          }
        }
      } else {
        Catalogues.price(v).ifPresent(x -> out.add(obs(ctx, provider, model, f.getValue(), "", band, x)));
      }
    }
  }

  private static Observation obs(ExtractContext ctx, String provider, String model, String metric, String tier,
      String band, BigDecimal value) {
    return ctx.observation(provider, model, metric, Catalogues.condition(tier, null, band, null), value, Unit.PER_1M, "USD");
  }
}
