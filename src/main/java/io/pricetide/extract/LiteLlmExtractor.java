package io.pricetide.extract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.pricetide.price.CanonicalModels;
import io.pricetide.price.Metrics;
import io.pricetide.price.ModelFacts;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LiteLLM's {@code model_prices_and_context_window.json}: one object keyed by model id, with prices in USD per
 * token as JSON numbers. Numbers follow {@link io.pricetide.price.Decimals}: {@code 2.4999999999999998e-06} is read as
 * the double it is, to 15 significant digits, so it is exactly 2.50 per 1M tokens.
 *
 * <ul>
 *   <li>Model: the key, exactly ({@code gemini/gemini-1.5-pro}). Provider: {@code litellm_provider}, else the key's
 *       prefix before {@code /}, else "".</li>
 *   <li>Metrics: {@code input_cost_per_token} → input, {@code output_cost_per_token} → output,
 *       {@code cache_read_input_token_cost} → cache_read, {@code cache_creation_input_token_cost} → cache_write;
 *       the older {@code input_cost_per_token_cache_hit} → cache_read where {@code cache_read_input_token_cost} is
 *       absent.</li>
 *   <li>Suffixes of those fields become the condition (see {@link Catalogues}): {@code _above_200k_tokens} →
 *       {@code >200k}, {@code _batches} and {@code _batch_requests} → {@code batch}, {@code _priority},
 *       {@code _flex}, {@code _above_1hr} → {@code 1h}; in any combination, such as
 *       {@code cache_creation_input_token_cost_above_1hr_above_200k_tokens} → cache_write {@code >200k 1h}.</li>
 *   <li>{@code tiered_pricing: [{range: [lo, hi], input_cost_per_token, …}]} (dashscope, volcengine): the same
 *       fields under condition {@code >lo}, none for {@code lo = 0}. A top-level field wins over a tier's.</li>
 *   <li>Skipped: {@code sample_spec}; top-level keys whose value is not an object ({@code last_updated}); prices
 *       suffixes not listed above; negative or non-numeric values. Zero is kept for a token price: LiteLLM lists 0
 *       for free and self-hosted models; a zero per image, pixel, second, character, request or query means "not
 *       charged here" and is skipped.</li>
 * </ul>
 *
 * <p>Fails on malformed JSON, a top level that is not an object, no model entries, or no token price at all.
 */
final class LiteLlmExtractor implements Extractor {
  /** One instance per source: each remembers the entries of its source's last file ({@link Memo}). */
  static final ExtractorFactory FACTORY = ExtractorFactory.withoutSettings(LiteLlmExtractor::new);

  private static final String CACHE_HIT = "input_cost_per_token_cache_hit";
  /** Price fields by their base name, longest first (so {@code input_cost_per_image_token} is not a per-image price). */
  private static final List<Base> BASES = java.util.stream.Stream.of(
      new Base("input_cost_per_token", "input", "", Unit.PER_TOKEN),
      new Base("output_cost_per_token", "output", "", Unit.PER_TOKEN),
      new Base("cache_read_input_token_cost", "cache_read", "", Unit.PER_TOKEN),
      new Base("cache_creation_input_token_cost", "cache_write", "", Unit.PER_TOKEN),
      new Base("input_cost_per_audio_token", "input", "audio", Unit.PER_TOKEN),
      new Base("output_cost_per_audio_token", "output", "audio", Unit.PER_TOKEN),
      new Base("cache_read_input_audio_token_cost", "cache_read", "audio", Unit.PER_TOKEN),
      new Base("cache_creation_input_audio_token_cost", "cache_write", "audio", Unit.PER_TOKEN),
      new Base("input_cost_per_image_token", "input", "image", Unit.PER_TOKEN),
      new Base("output_cost_per_image_token", "output", "image", Unit.PER_TOKEN),
      new Base("output_cost_per_reasoning_token", "output", "thinking", Unit.PER_TOKEN),
      new Base("input_cost_per_image", Metrics.INPUT_IMAGE, "", Unit.PER_IMAGE),
      new Base("output_cost_per_image", Metrics.OUTPUT_IMAGE, "", Unit.PER_IMAGE),
      new Base("input_cost_per_pixel", Metrics.INPUT_MEGAPIXEL, "", Unit.PER_PIXEL),
      new Base("output_cost_per_pixel", Metrics.OUTPUT_MEGAPIXEL, "", Unit.PER_PIXEL),
      new Base("input_cost_per_second", Metrics.INPUT_SECOND, "", Unit.PER_SECOND),
      new Base("output_cost_per_second", Metrics.OUTPUT_SECOND, "", Unit.PER_SECOND),
      new Base("input_cost_per_audio_per_second", Metrics.INPUT_SECOND, "audio", Unit.PER_SECOND),
      new Base("input_cost_per_video_per_second", Metrics.INPUT_SECOND, "video", Unit.PER_SECOND),
      new Base("output_cost_per_video_per_second", Metrics.OUTPUT_SECOND, "video", Unit.PER_SECOND),
      new Base("input_cost_per_character", Metrics.INPUT_CHARACTER, "", Unit.PER_CHARACTER),
      new Base("output_cost_per_character", Metrics.OUTPUT_CHARACTER, "", Unit.PER_CHARACTER),
      new Base("input_cost_per_request", Metrics.REQUEST, "", Unit.PER_REQUEST),
      new Base("input_cost_per_query", Metrics.QUERY, "", Unit.PER_CALL))
      .sorted(java.util.Comparator.comparingInt((Base b) -> -b.field().length())).toList();
  /** {@code search_context_cost_per_query: {search_context_size_low: …}}: per web search by search context size. */
  private static final String SEARCH = "search_context_cost_per_query";
  private static final String SEARCH_SIZE = "search_context_size_";

  /**
   * A price field's base name, the metric it feeds, the part of the condition it implies (a modality: {@code audio},
   * {@code image}, {@code video}; or {@code thinking} for reasoning tokens) and the unit the field is quoted in.
   */
  private record Base(String field, String metric, String part, Unit unit) {}

  private static final Pattern SUFFIX_PART =
      Pattern.compile("_above_(\\d+)([km])_tokens|_above_1hr|_batches|_batch_requests|_priority|_flex");
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1_000);
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** Which series a field feeds; {@code tier} may be overridden by a {@code tiered_pricing} range. */
  private record Field(String metric, String tier, String mode, String lifetime, String part, Unit unit) {
    String condition(String tierOverride) {
      return Catalogues.condition(tierOverride == null ? tier : tierOverride, mode, null, lifetime, part);
    }
  }

  /** Precedence when two fields feed one series: lower wins. */
  private static final int TOP_LEVEL = 0;
  private static final int ALIAS = 1;
  private static final int TIERED = 2;

  private record Ranked(BigDecimal value, int rank, Unit unit) {}

  private record Key(String metric, String condition) {}

  /**
   * What the last file said, entry by entry: the exact text of each model's entry and the observations read from
   * it. A new file is tokenised without building its tree, and only entries whose text differs are read again, so
   * a check of a file in which a tenth of the entries moved reads a tenth of them (replay and reextract run every
   * snapshot of a source in turn). Valid only with the same alias table, which the canonical ids depend on; LiteLLM
   * prices are in USD, so no exchange rate goes into them.
   */
  private record Memo(CanonicalModels models, Map<String, Entry> entries) {}

  /** An entry's exact text and its observations (empty when it holds no token price). */
  private record Entry(String text, List<Observation> observations) {}

  /** A top-level key that is not a model entry ({@code sample_spec}, {@code last_updated}). */
  private static final Entry NOT_A_MODEL = new Entry(null, List.of());

  private volatile Memo memo;

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    Memo last = memo;
    Map<String, Entry> before = last != null && last.models() == ctx.models() ? last.entries() : Map.of();
    Map<String, Entry> now = new LinkedHashMap<>(Math.max(16, before.size() * 4 / 3 + 1));
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return extractTree(body, ctx);
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String model = p.currentName();
        if (p.nextToken() != JsonToken.START_OBJECT || model.equals("sample_spec")) {
          p.skipChildren();
          now.put(model, NOT_A_MODEL); // as in a tree: a repeated key's last value counts, in the first one's place
          continue;
        }
        int start = (int) p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        int end = (int) p.currentTokenLocation().getCharOffset() + 1;
        Entry prior = before.get(model);
        if (prior != null && prior != NOT_A_MODEL && prior.text().length() == end - start
            && body.regionMatches(start, prior.text(), 0, end - start)) {
          now.put(model, prior);
        } else {
          String text = body.substring(start, end);
          List<Observation> obs = new ArrayList<>();
          read(model, Json.MAPPER.readTree(text), ctx, obs);
          now.put(model, new Entry(text, obs));
        }
      }
      if (t != JsonToken.END_OBJECT) {
        return extractTree(body, ctx);
      }
    } catch (JsonProcessingException e) {
      throw Json.malformed(e, ctx);
    } catch (java.io.IOException e) {
      throw ctx.fail("cannot read the JSON body: " + e.getMessage());
    }
    List<Observation> out = new ArrayList<>();
    int models = 0;
    for (Map.Entry<String, Entry> e : now.entrySet()) {
      if (e.getValue() != NOT_A_MODEL) {
        models++;
        out.addAll(e.getValue().observations());
      }
    }
    check(models, out, ctx);
    memo = new Memo(ctx.models(), now);
    return out;
  }

  /** The plain way, for a top level that is not one object (which then fails with the type it is). */
  private List<Observation> extractTree(String body, ExtractContext ctx) {
    JsonNode root = Json.parse(body, ctx);
    if (!root.isObject()) {
      throw ctx.fail("expected a JSON object keyed by model id, found " + root.getNodeType());
    }
    List<Observation> out = new ArrayList<>();
    int models = 0;
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (e.getKey().equals("sample_spec") || !e.getValue().isObject()) {
        continue;
      }
      models++;
      read(e.getKey(), e.getValue(), ctx, out);
    }
    check(models, out, ctx);
    return out;
  }

  private static void check(int models, List<Observation> out, ExtractContext ctx) {
    if (models == 0) {
      throw ctx.fail("no model entries in the LiteLLM price file");
    }
    if (out.stream().allMatch(ModelFacts::isFact)) {
      throw ctx.fail("no token prices in " + models + " LiteLLM model entries");
    }
  }

  private void read(String model, JsonNode entry, ExtractContext ctx, List<Observation> out) {
    Map<Key, Ranked> prices = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : entry.properties()) {
      if (f.getKey().equals(CACHE_HIT)) {
        Catalogues.price(f.getValue())
            .ifPresent(v -> offer(prices, new Key("cache_read", ""), v, ALIAS, Unit.PER_TOKEN));
      } else if (f.getKey().equals(SEARCH) && f.getValue().isObject()) {
        for (Map.Entry<String, JsonNode> size : f.getValue().properties()) {
          if (size.getKey().startsWith(SEARCH_SIZE)) {
            String cond = Catalogues.condition("", null, null, null,
                size.getKey().substring(SEARCH_SIZE.length()) + "-context");
            Catalogues.price(size.getValue()).filter(v -> v.signum() > 0)
                .ifPresent(v -> offer(prices, new Key(Metrics.WEB_SEARCH, cond), v, TOP_LEVEL, Unit.PER_CALL));
          }
        }
      } else {
        // A zero per image, pixel, second, … is "not charged here" (dall-e's output per pixel), not a free model.
        field(f.getKey()).ifPresent(field -> Catalogues.price(f.getValue())
            .filter(v -> v.signum() > 0 || field.unit().quantity() == Unit.Quantity.TOKENS)
            .ifPresent(v -> offer(prices, new Key(field.metric(), field.condition(null)), v, TOP_LEVEL,
                field.unit())));
      }
    }
    JsonNode tiers = entry.get("tiered_pricing");
    if (tiers != null && tiers.isArray()) {
      for (JsonNode tier : tiers) {
        readTier(tier, prices);
      }
    }
    if (prices.isEmpty()) {
      return;
    }
    String provider = Catalogues.text(entry, "litellm_provider").map(p -> p.toLowerCase(Locale.ROOT))
        .orElseGet(() -> model.indexOf('/') > 0 ? model.substring(0, model.indexOf('/')) : "");
    prices.forEach((k, r) -> out.add(
        ctx.observation(provider, model, k.metric(), k.condition(), r.value(), r.unit(), "USD")));
    CatalogueFacts.liteLlm(provider, model, entry, ctx, out);
  }

  private static void readTier(JsonNode tier, Map<Key, Ranked> prices) {
    JsonNode range = tier.get("range");
    if (range == null || !range.isArray() || range.isEmpty()) {
      return;
    }
    Optional<BigDecimal> lo = Json.decimal(range.get(0)).filter(v -> v.signum() >= 0);
    if (lo.isEmpty()) {
      return;
    }
    String tierCondition = Catalogues.above(lo.get());
    for (Map.Entry<String, JsonNode> f : tier.properties()) {
      Optional<Field> field = field(f.getKey()).filter(x -> x.tier().isEmpty());
      if (field.isPresent()) {
        Key key = new Key(field.get().metric(), field.get().condition(tierCondition));
        Unit unit = field.get().unit();
        Catalogues.price(f.getValue()).filter(v -> v.signum() > 0 || unit.quantity() == Unit.Quantity.TOKENS)
            .ifPresent(v -> offer(prices, key, v, TIERED, unit));
      }
    }
  }

  private static void offer(Map<Key, Ranked> prices, Key key, BigDecimal value, int rank, Unit unit) {
    Ranked prior = prices.get(key);
    if (prior == null || rank < prior.rank()) {
      prices.put(key, new Ranked(value, rank, unit));
    }
  }

  /** The series a field name feeds, or empty for anything that is not a price we read. */
  private static Optional<Field> field(String name) {
    for (Base base : BASES) {
      if (name.startsWith(base.field())) {
        return suffix(base, name.substring(base.field().length()));
      }
    }
    return Optional.empty();
  }

  private static Optional<Field> suffix(Base base, String suffix) {
    String tier = "";
    String mode = "";
    String lifetime = "";
    Matcher m = SUFFIX_PART.matcher(suffix);
    int pos = 0;
    while (pos < suffix.length()) {
      m.region(pos, suffix.length());
      if (!m.lookingAt()) {
        return Optional.empty();
      }
      String part = m.group();
      if (m.group(1) != null) {
        BigDecimal scale = m.group(2).equals("k") ? THOUSAND : MILLION;
        String t = Catalogues.above(new BigDecimal(m.group(1)).multiply(scale));
        if (!tier.isEmpty()) {
          return Optional.empty();
        }
        tier = t;
      } else if (part.equals("_above_1hr")) {
        lifetime = "1h";
      } else {
        if (!mode.isEmpty()) {
          return Optional.empty();
        }
        mode = switch (part) {
          case "_priority" -> "priority";
          case "_flex" -> "flex";
          default -> "batch";
        };
      }
      pos = m.end();
    }
    return Optional.of(new Field(base.metric(), tier, mode, lifetime, base.part(), base.unit()));
  }
}
