package io.pricetide.extract;

import io.pricetide.source.Sources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Currencies;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.SourceLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageExtractorsTest {
  @TempDir
  Path dir;

  private Extractors set(String id, String kind) throws Exception {
    Files.writeString(dir.resolve(id + ".yaml"), "id: " + id + "\nkind: usage\nurl: https://x.example/\n"
        + "schedule: \"0 0 0 * * ?\"\nextractor:\n  kind: " + kind + "\n");
    ExtractorRegistry r = ExtractorRegistry.builtIn();
    List<SourceDefinition> defs = new SourceLoader(r).loadDirectory(dir).orThrow();
    return new Extractors(new Sources(defs), r, Currencies.usdOnly());
  }

  @Test
  @DisplayName("Hub list: family models' downloads and likes; derivatives counted by base model and relation")
  void huggingFace() throws Exception {
    String body = """
        [
          {"id": "Qwen/Qwen3-8B", "downloads": 900000, "likes": 700, "tags": ["transformers"]},
          {"id": "meta-llama/Llama-3.1-8B-Instruct", "downloads": 800000, "likes": 4000, "tags": []},
          {"id": "google/gemma-3-4b-it", "downloads": 300000, "likes": 500, "tags": []},
          {"id": "google/vit-base", "downloads": 100, "likes": 1, "tags": []},
          {"id": "someone/qwen3-8b-gguf", "downloads": 5000, "likes": 3,
           "tags": ["gguf", "base_model:quantized:Qwen/Qwen3-8B", "base_model:Qwen/Qwen3-8B"]},
          {"id": "lab/llama-ft", "downloads": 10, "likes": 0, "tags": ["base_model:finetune:meta-llama/Llama-3.1-8B"]},
          {"id": "other/bert", "downloads": 7, "likes": 0, "tags": ["base_model:google-bert/bert-base-uncased"]}
        ]""";
    List<Observation> obs = set("huggingface-hub", "huggingface-hub").extract("huggingface-hub", body, "json");
    Map<String, String> byKey = obs.stream().collect(Collectors.toMap(o -> o.model() + " " + o.metric(),
        o -> o.value().toPlainString()));
    assertEquals("900000", byKey.get("Qwen/Qwen3-8B downloads_30d"));
    assertEquals("4000", byKey.get("meta-llama/Llama-3.1-8B-Instruct likes"));
    assertEquals("300000", byKey.get("google/gemma-3-4b-it downloads_30d"));
    Map<String, String> derived = obs.stream().filter(o -> o.metric().equals("derivatives")).collect(
        Collectors.toMap(o -> o.model() + " " + o.condition(), o -> o.value().toPlainString()));
    assertEquals(Map.of("Qwen/Qwen3-8B quantized", "1", "meta-llama/Llama-3.1-8B finetune", "1"), derived,
        "one count per base model and relation; a plain base_model tag beside a relational one counts once");
    assertTrue(obs.stream().noneMatch(o -> o.model().equals("google/vit-base")), "not a Gemma model");
    assertEquals("gemma", obs.stream().filter(o -> o.model().startsWith("google/gemma")).findFirst().orElseThrow()
        .provider());
  }

  @Test
  @DisplayName("A rankings page without chart points, and a Hub answer that is not a list, fail loudly")
  void failsLoudly() throws Exception {
    ExtractException e = assertThrows(ExtractException.class, () -> set("openrouter-rankings", "openrouter-rankings")
        .extract("openrouter-rankings", "<html><body>Rankings are loading…</body></html>", "html"));
    assertTrue(e.getMessage().contains("no Next.js payload"), e.getMessage());
    ExtractException h = assertThrows(ExtractException.class, () -> set("huggingface-hub", "huggingface-hub")
        .extract("huggingface-hub", "{\"error\": \"rate limited\"}", "json"));
    assertTrue(h.getMessage().contains("source huggingface-hub, stage extract"), h.getMessage());
  }
}
