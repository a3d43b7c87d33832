package io.pricetide.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * models.dev's {@code api.json}: {@code {"<provider>": {id, name, models: {"<model>": {id, name, cost: {…}}}}}},
 * costs in USD per 1M tokens as JSON numbers. Each provider's listing is its own series (resellers included), so
 * the same model sold by ten providers is ten models here, joined by their canonical id.
 *
 * <ul>
 *   <li>Model: {@code <provider key>/<model key>}, exactly as the file keys them ({@code anthropic/claude-sonnet-4-5},
 *       {@code openrouter/anthropic/claude-sonnet-4}, {@code amazon-bedrock/amazon.nova-lite-v1:0}). Provider: the
 *       provider key, lower case.</li>
 *   <li>Metrics: {@code cost.input} → input, {@code output} → output, {@code cache_read} → cache_read,
 *       {@code cache_write} → cache_write; the first snapshots' {@code inputCached} / {@code outputCached} (renamed to
 *       those two by June 2025) where the new names are absent, so the rename is no change. Tokens other than text:
 *       {@code input_audio} → input {@code audio}, {@code output_audio} → output {@code audio}, {@code reasoning} →
 *       output {@code thinking} (a zero there is not known, and skipped).</li>
 *   <li>Model facts ({@link CatalogueFacts}): {@code limit} and {@code modalities}, for a model with a price.</li>
 *   <li>Context tiers: {@code cost.tiers: [{input, …, tier: {type: "context", size: 272000}}]} under condition
 *       {@code >272k} (see {@link Catalogues}); where a file has no {@code tiers}, the older
 *       {@code context_over_200k} object under {@code >200k}. When both are present the legacy object is only a copy
 *       of a tier and is not read. A tier of another type, or without a size, is skipped.</li>
 *   <li>Zero: {@code 0} for input or output is the published price (subscription plans, free tiers) and is kept;
 *       {@code 0} for a cache price means not charged or not known, and is skipped. No {@code cost} at all is not
 *       free: such a model yields nothing. Negative or non-numeric values are skipped.</li>
 *   <li>Numbers follow {@link io.pricetide.price.Decimals}: {@code 0.19999999999999998} is 0.2. A unit slip in the
 *       file (a per-token number in a per-1M field) is read as written, and history's guards hold the jump.</li>
 * </ul>
 *
 * <p>Fails on malformed JSON, a top level that is not an object, no provider with models, or no token price at all.
 */
final class ModelsDevExtractor implements Extractor {
  static final ExtractorFactory FACTORY = Catalogues.withoutSettings(ModelsDevExtractor::new);

  /** A cost field: the metric it feeds, the era-A name it had, and whether zero is a price. */
  private record Field(String key, String metric, String legacyKey, boolean zeroIsPrice, String part) {}

  private static final List<Field> FIELDS = List.of(
      new Field("input", "input", null, true, null),
      new Field("output", "output", null, true, null),
      new Field("cache_read", "cache_read", "inputCached", false, null),
      new Field("cache_write", "cache_write", "outputCached", false, null),
      new Field("input_audio", "input", null, false, "audio"),
      new Field("output_audio", "output", null, false, "audio"),
      new Field("reasoning", "output", null, false, "thinking"));

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    JsonNode root = Json.parse(body, ctx);
    if (!root.isObject()) {
      throw ctx.fail("expected a JSON object keyed by provider id, found " + root.getNodeType());
    }
    List<Observation> out = new ArrayList<>();
    int providers = 0;
    int models = 0;
    for (Map.Entry<String, JsonNode> p : root.properties()) {
      JsonNode listed = p.getValue().isObject() ? p.getValue().get("models") : null;
      if (listed == null || !listed.isObject()) {
        continue;
      }
      providers++;
      String provider = p.getKey().toLowerCase(Locale.ROOT);
      for (Map.Entry<String, JsonNode> m : listed.properties()) {
        if (m.getValue().isObject()) {
          models++;
          read(provider, p.getKey() + "/" + m.getKey(), m.getValue(), ctx, out);
        }
      }
    }
    if (providers == 0) {
      throw ctx.fail("no provider with models in the models.dev file");
    }
    if (out.stream().allMatch(io.pricetide.price.ModelFacts::isFact)) {
      throw ctx.fail("no token prices in " + models + " models.dev models of " + providers + " providers");
    }
    return out;
  }

  private static void read(String provider, String model, JsonNode entry, ExtractContext ctx,
      List<Observation> out) {
    JsonNode cost = entry.get("cost");
    if (cost == null || !cost.isObject()) {
      return;
    }
    int before = out.size();
    prices(cost, "", provider, model, ctx, out);
    if (out.size() > before) {
      CatalogueFacts.modelsDev(provider, model, entry, ctx, out);
    }
    JsonNode tiers = cost.get("tiers");
    if (tiers != null && tiers.isArray() && !tiers.isEmpty()) {
      for (JsonNode t : tiers) {
        tier(t).ifPresent(cond -> prices(t, cond, provider, model, ctx, out));
      }
    } else {
      JsonNode over = cost.get("context_over_200k");
      if (over != null && over.isObject()) {
        prices(over, ">200k", provider, model, ctx, out);
      }
    }
  }

  /** The condition of a context tier ({@code >256k}); empty for another kind of tier or a size that is no bound. */
  private static Optional<String> tier(JsonNode t) {
    JsonNode tier = t.isObject() ? t.get("tier") : null;
    if (tier == null || !tier.isObject() || !"context".equals(tier.path("type").asText())) {
      return Optional.empty();
    }
    return Json.decimal(tier.get("size")).map(Catalogues::above).filter(c -> !c.isEmpty());
  }

  private static void prices(JsonNode cost, String tier, String provider, String model, ExtractContext ctx,
      List<Observation> out) {
    for (Field f : FIELDS) {
      JsonNode v = cost.get(f.key());
      if ((v == null || v.isNull()) && f.legacyKey() != null) {
        v = cost.get(f.legacyKey());
      }
      Optional<BigDecimal> value = Catalogues.price(v).filter(x -> f.zeroIsPrice() || x.signum() > 0);
      value.ifPresent(x -> out.add(ctx.observation(provider, model, f.metric(),
          Catalogues.condition(tier, null, null, null, f.part()), x, Unit.PER_1M, "USD")));
    }
  }
}
