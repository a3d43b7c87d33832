package io.pricetide.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * OpenRouter's models API ({@code GET /api/v1/models}): {@code {"data": [{id, pricing: {…}}, …]}} with prices as
 * strings in USD per token.
 *
 * <ul>
 *   <li>Model: {@code id}, exactly ({@code openai/gpt-4o}, {@code qwen/qwen3-8b:free}). Provider: the part of the id
 *       before {@code /}, without the {@code ~} that marks "latest" aliases.</li>
 *   <li>Metrics: {@code prompt} → input, {@code completion} → output, {@code input_cache_read} → cache_read,
 *       {@code input_cache_write} → cache_write, {@code input_cache_write_1h} → cache_write {@code 1h},
 *       {@code internal_reasoning} → output {@code thinking}. Not per token: {@code request} → request (USD per
 *       request), {@code web_search} → web_search (per search, stored per 1,000). {@code image}, {@code audio},
 *       {@code image_output}, {@code audio_output} and {@code input_audio_cache} are not read: the API does not say
 *       their unit (per image or per image token), and a unit is never guessed from a number.</li>
 *   <li>Model facts ({@link CatalogueFacts}): context length, longest completion, modalities, expiration date.</li>
 *   <li>{@code pricing.overrides: [{min_prompt_tokens: 200000, prompt, …}]} are the context tiers ({@code >200k});
 *       overrides with {@code utc_start}/{@code utc_end} (hours and minutes as HHMM, {@code 1630} = 16:30) are time
 *       bands ({@code UTC 16:30-00:30}). An override with neither, or with an impossible time, is skipped.</li>
 *   <li>Zero: {@code "0"} for {@code prompt} or {@code completion} is a real price of nothing per token (the
 *       {@code :free} variants, free previews) and is kept; {@code "0"} for a cache price means caching is not
 *       offered, and is skipped. Negative values ({@code "-1"}, variable pricing as on {@code openrouter/auto}) and
 *       non-numbers are skipped.</li>
 * </ul>
 *
 * <p>Fails on malformed JSON, a document without a {@code data} array, no models, or no token price at all.
 */
final class OpenRouterExtractor implements Extractor {
  static final ExtractorFactory FACTORY = Catalogues.withoutSettings(OpenRouterExtractor::new);

  private record Target(String metric, String lifetime, boolean zeroIsPrice, String part, Unit unit) {
    Target(String metric, String lifetime, boolean zeroIsPrice) {
      this(metric, lifetime, zeroIsPrice, null, Unit.PER_TOKEN);
    }
  }

  private static final Map<String, Target> FIELDS = new LinkedHashMap<>();

  static {
    FIELDS.put("prompt", new Target("input", "", true));
    FIELDS.put("completion", new Target("output", "", true));
    FIELDS.put("input_cache_read", new Target("cache_read", "", false));
    FIELDS.put("input_cache_write", new Target("cache_write", "", false));
    FIELDS.put("input_cache_write_1h", new Target("cache_write", "1h", false));
    FIELDS.put("internal_reasoning", new Target("output", "", false, "thinking", Unit.PER_TOKEN));
    FIELDS.put("request", new Target(Metrics.REQUEST, "", false, null, Unit.PER_REQUEST));
    FIELDS.put("web_search", new Target(Metrics.WEB_SEARCH, "", false, null, Unit.PER_CALL));
  }

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    JsonNode root = Json.parse(body, ctx);
    JsonNode data = root.isObject() ? root.get("data") : null;
    if (data == null || !data.isArray()) {
      throw ctx.fail("expected {\"data\": [models]} from the OpenRouter models API, found no 'data' array");
    }
    if (data.isEmpty()) {
      throw ctx.fail("the OpenRouter models API listed no models");
    }
    List<Observation> out = new ArrayList<>();
    for (JsonNode m : data) {
      if (m.isObject()) {
        read(m, ctx, out);
      }
    }
    if (out.stream().allMatch(io.pricetide.price.ModelFacts::isFact)) {
      throw ctx.fail("no token prices in " + data.size() + " OpenRouter models");
    }
    return out;
  }

  private void read(JsonNode m, ExtractContext ctx, List<Observation> out) {
    Optional<String> id = Catalogues.text(m, "id");
    JsonNode pricing = m.get("pricing");
    if (id.isEmpty() || pricing == null || !pricing.isObject()) {
      return;
    }
    String model = id.get();
    int slash = model.indexOf('/');
    String provider = slash > 0 ? model.substring(model.startsWith("~") ? 1 : 0, slash).toLowerCase(Locale.ROOT)
        : ctx.source().provider();
    int before = out.size();
    prices(pricing, "", "", provider, model, ctx, out);
    if (out.size() > before) {
      CatalogueFacts.openRouter(provider, model, m, ctx, out);
    }
    JsonNode overrides = pricing.get("overrides");
    if (overrides != null && overrides.isArray()) {
      for (JsonNode o : overrides) {
        if (!o.isObject()) {
          continue;
        }
        if (o.has("min_prompt_tokens")) {
          Json.decimal(o.get("min_prompt_tokens")).map(Catalogues::above).filter(t -> !t.isEmpty())
              .ifPresent(tier -> prices(o, tier, "", provider, model, ctx, out));
        } else if (o.has("utc_start") && o.has("utc_end")) {
          band(o).ifPresent(band -> prices(o, "", band, provider, model, ctx, out));
        }
      }
    }
  }

  private static void prices(JsonNode pricing, String tier, String band, String provider, String model,
      ExtractContext ctx, List<Observation> out) {
    for (Map.Entry<String, Target> f : FIELDS.entrySet()) {
      Target t = f.getValue();
      Optional<BigDecimal> v = Catalogues.price(pricing.get(f.getKey()))
          .filter(x -> t.zeroIsPrice() || x.signum() > 0);
      v.ifPresent(x -> out.add(ctx.observation(provider, model, t.metric(),
          Catalogues.condition(tier, null, band, t.lifetime(), t.part()), x, t.unit(), "USD")));
    }
  }

  /** {@code utc_start}/{@code utc_end} as HHMM into {@code UTC hh:mm-hh:mm}; empty if either is not a time. */
  private static Optional<String> band(JsonNode o) {
    Optional<Integer> start = minuteOfDay(o.get("utc_start"));
    Optional<Integer> end = minuteOfDay(o.get("utc_end"));
    if (start.isEmpty() || end.isEmpty() || start.get().equals(end.get())) {
      return Optional.empty();
    }
    return Optional.of(Catalogues.utcBand(start.get(), end.get()));
  }

  private static Optional<Integer> minuteOfDay(JsonNode hhmm) {
    if (hhmm == null || !hhmm.canConvertToInt()) {
      return Optional.empty();
    }
    int v = hhmm.asInt(-1);
    int h = v / 100;
    int min = v % 100;
    return v >= 0 && h < 24 && min < 60 ? Optional.of(h * 60 + min) : Optional.empty();
  }
}
