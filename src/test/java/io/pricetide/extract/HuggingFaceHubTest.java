package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Currencies;
import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceBodies;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.SourceLoader;
import io.pricetide.source.Sources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Hub reader on {@code /api/models} answers we wrote (no real Hub answer is at hand), shaped after the
 * documented fields, handed over as the shipped source's several URLs would be: one envelope of answers.
 */
class HuggingFaceHubTest {
  private static Extractors set;
  private static SourceDefinition hub;

  @BeforeAll
  static void load() {
    ExtractorRegistry r = ExtractorRegistry.builtIn();
    List<SourceDefinition> defs = new SourceLoader(r).loadDirectory(Path.of("sources")).orThrow();
    set = new Extractors(new Sources(defs), r, Currencies.usdOnly());
    hub = defs.stream().filter(d -> d.id().equals("huggingface-hub")).findFirst().orElseThrow();
  }

  private static String answer(String name) throws Exception {
    return Files.readString(Path.of("src/test/resources/usage", name), StandardCharsets.UTF_8);
  }

  private static String envelope(String... files) throws Exception {
    List<SourceBodies.Part> parts = new java.util.ArrayList<>();
    for (int i = 0; i < files.length; i++) {
      parts.add(new SourceBodies.Part(hub.urls().get(i), answer(files[i])));
    }
    return SourceBodies.join(parts);
  }

  private static Map<String, String> byKey(List<Observation> obs) {
    Map<String, String> m = new TreeMap<>();
    obs.forEach(o -> m.put(o.metric() + " " + o.model() + (o.condition().isEmpty() ? "" : " " + o.condition()),
        o.value().toPlainString()));
    return m;
  }

  @Test
  @DisplayName("The shipped source fetches each family's organisation and each family's name, ten URLs")
  void shippedSource() {
    assertEquals(10, hub.urls().size());
    assertTrue(hub.urls().stream().allMatch(u -> u.startsWith("https://huggingface.co/api/models?")));
    assertTrue(hub.urls().stream().allMatch(u -> u.contains("expand=downloads") && u.contains("expand=tags")));
  }

  @Test
  @DisplayName("Several answers: own models' 30-day downloads and likes, once each; derivatives per base model and"
      + " relation, from relational tags or the card's base_model; derivatives of derivatives not counted")
  void severalAnswers() throws Exception {
    List<Observation> obs = set.extract("huggingface-hub", envelope("hub-author-qwen.json",
        "hub-search-llama.json", "hub-search-gemma.json"), "json");
    Map<String, String> v = byKey(obs);
    assertEquals("4200000", v.get("downloads_30d Qwen/Qwen3-8B"), "the first answer listing a model wins");
    assertEquals("780", v.get("likes Qwen/Qwen3-8B"));
    assertEquals("5100000", v.get("downloads_30d meta-llama/Llama-3.1-8B-Instruct"));
    assertEquals("650", v.get("likes google/gemma-3-4b-it"));
    assertFalse(v.containsKey("downloads_30d google/vit-base-patch16-224"), "Google, but not Gemma");
    assertFalse(v.containsKey("downloads_30d river-lab/llama-3.1-8b-legal"), "not a family organisation");
    assertEquals(Map.of(
        "derivatives Qwen/Qwen3-8B-Base finetune", "1",
        "derivatives Qwen/Qwen3-8B quantized", "1",
        "derivatives Qwen/Qwen3-8B merge", "1",
        "derivatives meta-llama/Llama-3.1-8B finetune", "1",
        "derivatives meta-llama/Llama-3.1-8B-Instruct finetune", "1",
        "derivatives meta-llama/Llama-3.1-8B-Instruct adapter", "1",
        "derivatives meta-llama/Llama-3.1-8B-Instruct quantized", "2",
        "derivatives meta-llama/Llama-3.1-8B-Instruct merge", "1",
        "derivatives google/gemma-3-4b-it adapter", "1",
        "derivatives google/gemma-3-4b-it finetune", "1"), filter(v, "derivatives"));
    assertEquals(7 * 2 + 10, obs.size(), v.toString());
    Observation instruct = obs.stream().filter(o -> o.metric().equals(Metrics.DERIVATIVES)
        && o.model().equals("meta-llama/Llama-3.1-8B-Instruct")).findFirst().orElseThrow();
    assertEquals("llama", instruct.provider());
    assertEquals(Metrics.COUNT, instruct.currency());
    assertTrue(obs.stream().allMatch(o -> o.effectiveFrom() == null), "30-day counts are as of the check");
  }

  private static Map<String, String> filter(Map<String, String> v, String prefix) {
    Map<String, String> m = new TreeMap<>();
    v.forEach((k, x) -> {
      if (k.startsWith(prefix + " ")) {
        m.put(k, x);
      }
    });
    return m;
  }

  @Test
  @DisplayName("An answer that is not a list names its place and URL; a broken envelope and a list without family"
      + " models fail")
  void failures() throws Exception {
    String body = SourceBodies.join(List.of(new SourceBodies.Part(hub.urls().get(0), answer("hub-author-qwen.json")),
        new SourceBodies.Part(hub.urls().get(1), "{\"error\":\"Rate limit reached\"}")));
    ExtractException e = assertThrows(ExtractException.class, () -> set.extract("huggingface-hub", body, "json"));
    assertTrue(e.getMessage().contains("answer 2 of 2 (" + hub.urls().get(1) + ")"), e.getMessage());
    assertTrue(e.getMessage().contains("Rate limit reached"), e.getMessage());
    ExtractException broken = assertThrows(ExtractException.class, () -> set.extract("huggingface-hub",
        "{\"pricetide_bodies\": 3}", "json"));
    assertTrue(broken.getMessage().contains("not a list"), broken.getMessage());
    ExtractException none = assertThrows(ExtractException.class, () -> set.extract("huggingface-hub",
        "[{\"id\":\"someone/tiny\",\"downloads\":3,\"likes\":0,\"tags\":[]}]", "json"));
    assertTrue(none.getMessage().contains("1 model(s)"), none.getMessage());
  }

  @Test
  @DisplayName("SourceBodies: join and split keep each answer's URL and text, in order; a plain body is not one")
  void bodies() {
    List<SourceBodies.Part> parts = List.of(new SourceBodies.Part("https://a.example/1", "[1]\n\"x\""),
        new SourceBodies.Part("https://a.example/2", "<p>é</p>"));
    assertEquals(parts, SourceBodies.split(SourceBodies.join(parts)).orElseThrow());
    assertTrue(SourceBodies.split("[{\"id\":\"a/b\"}]").isEmpty());
    assertTrue(SourceBodies.split("{\"models\":[]}").isEmpty());
  }
}
