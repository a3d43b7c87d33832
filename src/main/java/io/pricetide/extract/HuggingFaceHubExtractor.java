package io.pricetide.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceBodies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Usage of the open-weight families (Qwen, Llama, DeepSeek, Mistral, Gemma) from the Hugging Face Hub's model list
 * API ({@code /api/models}: a JSON array of models with {@code id}, {@code author}, {@code downloads} (the last 30
 * days), {@code likes}, {@code tags}, {@code pipeline_tag}, {@code cardData}). The body is one such array, or the
 * answers of several list URLs in one {@link SourceBodies} envelope; a model listed by several answers counts once.
 *
 * <ul>
 *   <li>{@code downloads_30d} and {@code likes} for each model a family's own organisation publishes (provider =
 *       the family; Gemma is Google's models named {@code gemma});
 *   <li>{@code derivatives} per family base model and relation (condition {@code finetune}, {@code adapter},
 *       {@code quantized} or {@code merge}): how many listed models name it as their base model, through the
 *       Hub's tags {@code base_model:<relation>:<id>} or, where the tags say nothing, the model card's
 *       {@code base_model} with its {@code base_model_relation} ({@code finetune} when none is given). Direct
 *       derivatives only: a quantization of someone's fine-tune counts for that fine-tune, not for the family.
 * </ul>
 *
 * <p>The counts are of the models the answers list (the list API returns at most a page of models), not the
 * Hub's whole tree; documented in {@code docs/sources.md}.
 */
final class HuggingFaceHubExtractor implements Extractor {
  static final ExtractorFactory FACTORY = ExtractorFactory.withoutSettings(HuggingFaceHubExtractor::new);

  /** Family → the organisations that publish it (lower case). */
  static final Map<String, Set<String>> FAMILIES = new LinkedHashMap<>();
  /** The Hub's base-model relations. */
  static final List<String> RELATIONS = List.of("finetune", "adapter", "quantized", "merge");

  static {
    FAMILIES.put("qwen", Set.of("qwen"));
    FAMILIES.put("llama", Set.of("meta-llama"));
    FAMILIES.put("deepseek", Set.of("deepseek-ai"));
    FAMILIES.put("mistral", Set.of("mistralai"));
    FAMILIES.put("gemma", Set.of("google"));
  }

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    List<SourceBodies.Part> answers;
    try {
      answers = SourceBodies.split(body).orElse(List.of(new SourceBodies.Part(ctx.source().url(), body)));
    } catch (IllegalArgumentException e) {
      throw ctx.fail(e.getMessage());
    }
    Map<String, JsonNode> models = new LinkedHashMap<>();
    for (int i = 0; i < answers.size(); i++) {
      SourceBodies.Part a = answers.get(i);
      JsonNode root = Json.parse(a.body(), ctx);
      if (!root.isArray()) {
        String error = root.path("error").asText("");
        throw ctx.fail("answer " + (i + 1) + " of " + answers.size() + " (" + a.url() + ") is not a JSON array of"
            + " models from the Hub's /api/models" + (error.isEmpty() ? "" : ": the Hub says \"" + error + "\""));
      }
      for (JsonNode m : root) {
        String id = m.path("id").asText(m.path("modelId").asText(""));
        if (id.indexOf('/') > 0) {
          models.putIfAbsent(id.toLowerCase(Locale.ROOT), m);
        }
      }
    }
    List<Observation> out = new ArrayList<>();
    Map<String, Map<String, Integer>> derivatives = new LinkedHashMap<>(); // base id (lower) → relation → count
    Map<String, String> spelling = new LinkedHashMap<>();
    for (JsonNode m : models.values()) {
      String id = m.path("id").asText(m.path("modelId").asText(""));
      String author = m.path("author").asText(id.substring(0, id.indexOf('/')));
      String family = family(author, id);
      if (family != null) {
        spelling.put(id.toLowerCase(Locale.ROOT), id);
        add(ctx, out, family, id, Metrics.DOWNLOADS_30D, m.get("downloads"));
        add(ctx, out, family, id, Metrics.LIKES, m.get("likes"));
      }
      for (Map.Entry<String, String> base : bases(m).entrySet()) {
        String baseId = base.getKey();
        int slash = baseId.indexOf('/');
        if (slash > 0 && family(baseId.substring(0, slash), baseId) != null
            && !baseId.equalsIgnoreCase(id)) {
          spelling.putIfAbsent(baseId.toLowerCase(Locale.ROOT), baseId);
          derivatives.computeIfAbsent(baseId.toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>())
              .merge(base.getValue(), 1, Integer::sum);
        }
      }
    }
    if (out.isEmpty()) {
      throw ctx.fail("no model of the Qwen, Llama, DeepSeek, Mistral or Gemma families' own organisations in "
          + answers.size() + " answer(s) listing " + models.size() + " model(s)");
    }
    derivatives.forEach((base, byRelation) -> {
      String id = spelling.get(base);
      String family = family(id.substring(0, id.indexOf('/')), id);
      for (String relation : RELATIONS) {
        Integer n = byRelation.get(relation);
        if (n != null) {
          out.add(new Observation(family, id, ctx.canonical(id), Metrics.DERIVATIVES, relation,
              BigDecimal.valueOf(n), Metrics.COUNT, null));
        }
      }
    });
    return out;
  }

  private static void add(ExtractContext ctx, List<Observation> out, String family, String id, String metric,
      JsonNode value) {
    Json.decimal(value).filter(v -> v.signum() >= 0).ifPresent(v -> out.add(new Observation(family, id,
        ctx.canonical(id), metric, "", v.setScale(0, RoundingMode.HALF_UP), Metrics.COUNT, null)));
  }

  /** The family a model belongs to by its publisher, or null. */
  static String family(String author, String id) {
    String org = author.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, Set<String>> f : FAMILIES.entrySet()) {
      if (f.getValue().contains(org)
          && (!f.getKey().equals("gemma") || id.toLowerCase(Locale.ROOT).contains("gemma"))) {
        return f.getKey();
      }
    }
    return null;
  }

  /**
   * The models a model names as its base, each with its relation: the tags {@code base_model:<relation>:<id>}
   * first; bases named only by a plain tag {@code base_model:<id>} or by the card's {@code base_model} take the
   * card's {@code base_model_relation}, else {@code finetune}.
   */
  static Map<String, String> bases(JsonNode m) {
    Map<String, String> related = new LinkedHashMap<>();
    Set<String> plain = new LinkedHashSet<>();
    for (JsonNode t : m.path("tags")) {
      String tag = t.asText("");
      if (!tag.startsWith("base_model:")) {
        continue;
      }
      String rest = tag.substring("base_model:".length());
      int colon = rest.indexOf(':');
      if (colon > 0 && RELATIONS.contains(rest.substring(0, colon))) {
        related.putIfAbsent(rest.substring(colon + 1), rest.substring(0, colon));
      } else if (colon < 0) {
        plain.add(rest);
      }
    }
    JsonNode card = m.path("cardData");
    JsonNode cardBase = card.path("base_model");
    if (cardBase.isTextual()) {
      plain.add(cardBase.asText());
    } else if (cardBase.isArray()) {
      cardBase.forEach(b -> plain.add(b.asText("")));
    }
    String cardRelation = card.path("base_model_relation").asText("").toLowerCase(Locale.ROOT);
    String fallback = RELATIONS.contains(cardRelation) ? cardRelation : "finetune";
    Set<String> seen = new LinkedHashSet<>();
    related.keySet().forEach(k -> seen.add(k.toLowerCase(Locale.ROOT)));
    for (String p : plain) {
      if (p.indexOf('/') > 0 && seen.add(p.toLowerCase(Locale.ROOT))) {
        related.put(p, fallback);
      }
    }
    return related;
  }
}
