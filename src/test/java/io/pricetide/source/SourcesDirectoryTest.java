package io.pricetide.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.extract.ExtractorRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The repository's own {@code sources/} directory loads as the service would load it. */
class SourcesDirectoryTest {
  private static final Path SOURCES = Path.of("sources").toAbsolutePath();
  private static final SourceLoader.Result RESULT = new SourceLoader(ExtractorRegistry.builtIn())
      .loadDirectory(SOURCES);
  private static final Map<String, SourceDefinition> BY_ID = RESULT.sources().stream()
      .collect(Collectors.toMap(SourceDefinition::id, Function.identity()));

  @Test
  @DisplayName("Every file in sources/ is valid and is named after its id")
  void everyFileLoads() {
    assertTrue(RESULT.ok(), () -> "invalid source files:\n  " + String.join("\n  ", RESULT.errors()));
    for (SourceDefinition d : RESULT.sources()) {
      assertEquals(d.id() + ".yaml", Path.of(d.file()).getFileName().toString(), "file name of " + d.id());
    }
  }

  @ParameterizedTest(name = "{0}: {1} extractor")
  @CsvSource(delimiter = '|', textBlock = """
      litellm           | litellm      | https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json
      openrouter-models | openrouter   | https://openrouter.ai/api/v1/models
      genai-prices      | genai-prices | https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/data.json
      llm-prices        | llm-prices   | https://www.llm-prices.com/historical.json
      models-dev        | models-dev   | https://models.dev/api.json
      """)
  @DisplayName("The five catalogue sources are built in, fetched as JSON, with room for their size")
  void catalogueSources(String id, String extractor, String url) {
    SourceDefinition d = BY_ID.get(id);
    assertTrue(d != null, () -> "no source '" + id + "' in " + SOURCES + " (found " + BY_ID.keySet() + ")");
    assertEquals(extractor, d.extractorKind());
    assertEquals(url, d.url());
    assertEquals("json", d.format());
    assertEquals("prices", d.kind());
    assertEquals("USD", d.currency());
    assertTrue(d.enabled());
    assertTrue(d.fetch().maxBytes() >= 8_000_000L, () -> id + " max_bytes " + d.fetch().maxBytes());
  }
}
