package io.pricetide.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricetide.price.ModelFacts;
import io.pricetide.price.Observation;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model facts ({@link ModelFacts}) the catalogues state beside their prices: context window, longest output,
 * input and output media, kind of model and announced retirement. Read only for a model that has a price in the same
 * entry; a missing or malformed field is no fact (never a guess, never a failure of the check).
 *
 * <ul>
 *   <li>LiteLLM: {@code max_input_tokens} → context window, {@code max_output_tokens} → longest output (the legacy
 *       {@code max_tokens} means either and is not read); {@code supported_modalities} /
 *       {@code supported_output_modalities} where given, else text plus {@code supports_vision} or
 *       {@code supports_image_input} → image, {@code supports_audio_input} → audio, {@code supports_video_input} →
 *       video, {@code supports_pdf_input} → pdf (and {@code supports_audio_output} → audio out) for the text modes
 *       {@code chat}, {@code completion}, {@code responses}; {@code mode} → kind; {@code deprecation_date}.</li>
 *   <li>OpenRouter: {@code context_length}, {@code top_provider.max_completion_tokens},
 *       {@code architecture.input_modalities}/{@code output_modalities} (else its {@code modality},
 *       {@code text+image->text}), {@code expiration_date}.</li>
 *   <li>models.dev: {@code limit.input} else {@code limit.context}, {@code limit.output}, {@code modalities.input} /
 *       {@code output}; {@code status: "deprecated"} has no date and gives none.</li>
 * </ul>
 *
 * A date must be ISO ({@code 2026-06-01}) and before 2090: OpenRouter writes {@code 2098-12-31} for "no date".
 */
final class CatalogueFacts {
  private static final LocalDate NO_DATE_AFTER = LocalDate.of(2090, 1, 1);
  private static final List<String> TEXT_MODES = List.of("chat", "completion", "responses");
  private static final Map<String, String> LITELLM_INPUTS = new java.util.LinkedHashMap<>();

  static {
    LITELLM_INPUTS.put("supports_vision", "image");
    LITELLM_INPUTS.put("supports_image_input", "image");
    LITELLM_INPUTS.put("supports_audio_input", "audio");
    LITELLM_INPUTS.put("supports_video_input", "video");
    LITELLM_INPUTS.put("supports_pdf_input", "pdf");
  }

  private CatalogueFacts() {}

  /** LiteLLM's facts of one model entry. */
  static void liteLlm(String provider, String model, JsonNode e, ExtractContext ctx, List<Observation> out) {
    count(provider, model, ModelFacts.CONTEXT_WINDOW, e.get("max_input_tokens"), ctx, out);
    count(provider, model, ModelFacts.MAX_OUTPUT, e.get("max_output_tokens"), ctx, out);
    Optional<String> mode = Catalogues.text(e, "mode").filter(m -> m.matches("[a-z_]{1,40}"));
    mode.flatMap(m -> ctx.textFact(provider, model, ModelFacts.KIND, m)).ifPresent(out::add);
    boolean textMode = mode.map(TEXT_MODES::contains).orElse(false);
    List<String> in = strings(e.get("supported_modalities"));
    if (in.isEmpty() && textMode) {
      in.add("text");
      LITELLM_INPUTS.forEach((flag, medium) -> {
        if (e.path(flag).asBoolean(false)) {
          in.add(medium);
        }
      });
    }
    List<String> outMedia = strings(e.get("supported_output_modalities"));
    if (outMedia.isEmpty() && textMode) {
      outMedia.add("text");
      if (e.path("supports_audio_output").asBoolean(false)) {
        outMedia.add("audio");
      }
    }
    modalities(provider, model, in, outMedia, ctx, out);
    date(provider, model, Catalogues.text(e, "deprecation_date"), ctx, out);
  }

  /** OpenRouter's facts of one model. */
  static void openRouter(String provider, String model, JsonNode m, ExtractContext ctx, List<Observation> out) {
    count(provider, model, ModelFacts.CONTEXT_WINDOW, m.get("context_length"), ctx, out);
    count(provider, model, ModelFacts.MAX_OUTPUT, m.path("top_provider").get("max_completion_tokens"), ctx, out);
    JsonNode arch = m.path("architecture");
    List<String> in = strings(arch.get("input_modalities"));
    List<String> outMedia = strings(arch.get("output_modalities"));
    Optional<String> modality = Catalogues.text(arch, "modality");
    if (in.isEmpty() && outMedia.isEmpty() && modality.isPresent() && modality.get().contains("->")) {
      String[] sides = modality.get().split("->", 2);
      in = new ArrayList<>(List.of(sides[0].split("\\+")));
      outMedia = new ArrayList<>(List.of(sides[1].split("\\+")));
    }
    modalities(provider, model, in, outMedia, ctx, out);
    date(provider, model, Catalogues.text(m, "expiration_date"), ctx, out);
  }

  /** models.dev's facts of one model. */
  static void modelsDev(String provider, String model, JsonNode m, ExtractContext ctx, List<Observation> out) {
    JsonNode limit = m.path("limit");
    JsonNode input = limit.get("input");
    count(provider, model, ModelFacts.CONTEXT_WINDOW, input != null && input.isNumber() ? input : limit.get("context"),
        ctx, out);
    count(provider, model, ModelFacts.MAX_OUTPUT, limit.get("output"), ctx, out);
    modalities(provider, model, strings(m.path("modalities").get("input")),
        strings(m.path("modalities").get("output")), ctx, out);
  }

  private static void count(String provider, String model, String fact, JsonNode v, ExtractContext ctx,
      List<Observation> out) {
    if (v != null && v.isNumber()) {
      Json.decimal(v).flatMap(d -> ctx.countFact(provider, model, fact, d)).ifPresent(out::add);
    }
  }

  private static void modalities(String provider, String model, List<String> in, List<String> outMedia,
      ExtractContext ctx, List<Observation> out) {
    ctx.textFact(provider, model, ModelFacts.INPUT_MODALITIES, ModelFacts.modalities(in)).ifPresent(out::add);
    ctx.textFact(provider, model, ModelFacts.OUTPUT_MODALITIES, ModelFacts.modalities(outMedia)).ifPresent(out::add);
  }

  private static void date(String provider, String model, Optional<String> text, ExtractContext ctx,
      List<Observation> out) {
    if (text.isEmpty()) {
      return;
    }
    try {
      LocalDate d = LocalDate.parse(text.get());
      if (d.isBefore(NO_DATE_AFTER)) {
        ctx.textFact(provider, model, ModelFacts.DEPRECATION, d.toString()).ifPresent(out::add);
      }
    } catch (DateTimeParseException e) {
      // a date the catalogue wrote some other way is no date (LiteLLM has none so far)
    }
  }

  /** The short lower-case names in a JSON array of strings (at most 12, each a plain word). */
  private static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    if (a != null && a.isArray()) {
      for (JsonNode x : a) {
        if (x.isTextual() && x.asText().trim().matches("[A-Za-z_-]{1,20}") && out.size() < 12) {
          out.add(x.asText().trim());
        }
      }
    }
    return out;
  }
}
