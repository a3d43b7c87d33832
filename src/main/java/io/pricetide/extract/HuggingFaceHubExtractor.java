package io.pricetide.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Usage of the open-weight families on the Hugging Face Hub, from the model list API ({@code /api/models} sorted
 * by downloads, with tags): for each model published by a family's own organisation, its 30-day downloads and
 * likes (provider = the family); and per family the number of listed models by others that name one of its models
 * as {@code base_model} (a tag {@code base_model:…}). Families: Qwen, Llama, DeepSeek, Mistral, Gemma.
 */
final class HuggingFaceHubExtractor implements Extractor {
  static final ExtractorFactory FACTORY = ExtractorFactory.withoutSettings(HuggingFaceHubExtractor::new);

  /** Family → the organisations that publish it; a family's models are also matched by name (Gemma at Google). */
  static final Map<String, Set<String>> FAMILIES = new LinkedHashMap<>();

  static {
    FAMILIES.put("qwen", Set.of("qwen"));
    FAMILIES.put("llama", Set.of("meta-llama"));
    FAMILIES.put("deepseek", Set.of("deepseek-ai"));
    FAMILIES.put("mistral", Set.of("mistralai"));
    FAMILIES.put("gemma", Set.of("google"));
  }

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    JsonNode root = Json.parse(body, ctx);
    if (!root.isArray()) {
      throw ctx.fail("expected a JSON array of models from the Hub's /api/models");
    }
    List<Observation> out = new ArrayList<>();
    Map<String, Integer> derivatives = new TreeMap<>();
    FAMILIES.keySet().forEach(f -> derivatives.put(f, 0));
    for (JsonNode m : root) {
      String id = m.path("id").asText("");
      int slash = id.indexOf('/');
      if (slash <= 0) {
        continue;
      }
      String org = id.substring(0, slash).toLowerCase(Locale.ROOT);
      String family = ownFamily(org, id);
      if (family != null) {
        add(ctx, out, family, id, Metrics.DOWNLOADS_30D, m.path("downloads"));
        add(ctx, out, family, id, Metrics.LIKES, m.path("likes"));
        continue;
      }
      String base = baseFamily(m.path("tags"));
      if (base != null) {
        derivatives.merge(base, 1, Integer::sum);
      }
    }
    if (out.isEmpty()) {
      throw ctx.fail("no model of the Qwen, Llama, DeepSeek, Mistral or Gemma families in the list");
    }
    derivatives.forEach((family, n) -> out.add(new Observation(family, family, family, Metrics.DERIVATIVES, "",
        BigDecimal.valueOf(n), Metrics.COUNT, null)));
    return out;
  }

  private static void add(ExtractContext ctx, List<Observation> out, String family, String id, String metric,
      JsonNode value) {
    Json.decimal(value).filter(v -> v.signum() >= 0).ifPresent(v -> out.add(new Observation(family, id,
        ctx.canonical(id), metric, "", v.setScale(0, java.math.RoundingMode.HALF_UP), Metrics.COUNT,
        null)));
  }

  private static String ownFamily(String org, String id) {
    String lower = id.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, Set<String>> f : FAMILIES.entrySet()) {
      if (f.getValue().contains(org) && (!f.getKey().equals("gemma") || lower.contains("gemma"))) {
        return f.getKey();
      }
    }
    return null;
  }

  private static String baseFamily(JsonNode tags) {
    for (JsonNode t : tags) {
      String tag = t.asText("").toLowerCase(Locale.ROOT);
      if (!tag.startsWith("base_model:")) {
        continue;
      }
      String base = tag.substring(tag.lastIndexOf(':') + 1);
      int slash = base.indexOf('/');
      if (slash > 0) {
        String family = ownFamily(base.substring(0, slash), base);
        if (family != null) {
          return family;
        }
      }
    }
    return null;
  }
}
