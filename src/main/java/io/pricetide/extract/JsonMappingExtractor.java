package io.pricetide.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import io.pricetide.source.SourceDefinition;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Declarative JSON: {@code items} is a dotted path to an array of model objects or to an object keyed by model
 * ({@code ""} for the root); {@code model} the field holding the name ({@code $key} for the object key);
 * {@code provider} a field holding the provider, or {@code $prefix} for the part of the model before the first
 * {@code /}; {@code prices} maps a metric to a field path, or to {@code {path, metric, condition}}. Negative values
 * (variable pricing) and non-numbers are skipped.
 */
final class JsonMappingExtractor implements Extractor {
  static final ExtractorFactory FACTORY = new ExtractorFactory() {
    @Override
    public Set<String> keys() {
      return Set.of("items", "model", "provider", "prices", "unit");
    }

    @Override
    public Extractor create(SourceDefinition source, Map<String, Object> config) {
      return new JsonMappingExtractor(config, source);
    }
  };

  private record Price(String path, String metric, String condition) {}

  private final String items;
  private final String modelField;
  private final String providerField;
  private final Unit unit;
  private final List<Price> prices = new ArrayList<>();

  private JsonMappingExtractor(Map<String, Object> cfg, SourceDefinition source) {
    this.items = Configs.string(cfg, "items", "");
    this.modelField = Configs.string(cfg, "model", "$key");
    this.providerField = Configs.string(cfg, "provider", "");
    this.unit = Unit.parse(Configs.string(cfg, "unit", source.unit() == null ? "per_1m" : source.unit()));
    for (Map.Entry<String, Object> e : Configs.map(cfg, "prices").entrySet()) {
      if (e.getValue() instanceof Map<?, ?> m) {
        Map<String, Object> spec = new LinkedHashMap<>();
        m.forEach((k, v) -> spec.put(String.valueOf(k), v));
        prices.add(new Price(Configs.string(spec, "path", null), Configs.string(spec, "metric", e.getKey()),
            Configs.string(spec, "condition", "")));
      } else {
        prices.add(new Price(String.valueOf(e.getValue()), e.getKey(), ""));
      }
    }
  }

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    JsonNode root = Json.parse(body, ctx);
    JsonNode list = items.isEmpty() ? root : Json.at(root, items)
        .orElseThrow(() -> ctx.fail("no '" + items + "' in the JSON document"));
    List<Observation> out = new ArrayList<>();
    if (list.isArray()) {
      for (JsonNode item : list) {
        read(null, item, ctx, out);
      }
    } else if (list.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = list.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        read(e.getKey(), e.getValue(), ctx, out);
      }
    } else {
      throw ctx.fail("'" + items + "' is neither an array nor an object");
    }
    return out;
  }

  private void read(String key, JsonNode item, ExtractContext ctx, List<Observation> out) {
    if (!item.isObject()) {
      return;
    }
    String model = "$key".equals(modelField) ? key : Json.at(item, modelField).map(JsonNode::asText).orElse(null);
    if (model == null || model.isBlank()) {
      return;
    }
    String provider = ctx.source().provider();
    if ("$prefix".equals(providerField)) {
      int slash = model.indexOf('/');
      provider = slash > 0 ? model.substring(0, slash) : provider;
    } else if (!providerField.isEmpty()) {
      provider = Json.at(item, providerField).map(JsonNode::asText).orElse(provider);
    }
    for (Price p : prices) {
      Optional<BigDecimal> v = Json.at(item, p.path()).flatMap(Json::decimal);
      if (v.isPresent() && v.get().signum() >= 0) {
        out.add(ctx.observation(provider, model, p.metric(), p.condition(), v.get(), unit, ctx.source().currency()));
      }
    }
  }
}
