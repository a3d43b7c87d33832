package io.pricetide.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.extract.ExtractorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code fetch: {render: true}}: the opt-in to the rendered-page fetch, and the format that goes with it. */
class SourceLoaderRenderTest {
  @TempDir
  Path dir;

  private final SourceLoader loader = new SourceLoader(ExtractorRegistry.builtIn());

  private static final String HEAD = """
      id: ranks
      url: https://ranks.example/rankings
      schedule: "0 0 6 * * ?"
      kind: usage
      """;
  private static final String EXTRACTOR = """
      extractor:
        kind: openrouter-rankings
      """;

  private SourceDefinition load(String middle) throws Exception {
    Path f = dir.resolve("ranks.yaml");
    Files.writeString(f, HEAD + middle + EXTRACTOR);
    return loader.loadFile(f);
  }

  @Test
  @DisplayName("render: true makes the format 'rendered' and takes the default time limit; without it nothing"
      + " renders")
  void renderOptIn() throws Exception {
    SourceDefinition d = load("fetch:\n  render: true\n  max_bytes: 15000000\n");
    assertTrue(d.fetch().render());
    assertEquals("rendered", d.format());
    assertEquals(FetchSettings.DEFAULT_RENDER_TIMEOUT_MS, d.fetch().renderTimeoutMs());
    assertEquals(15_000_000L, d.fetch().maxBytes());

    SourceDefinition timed = load("format: rendered\nfetch:\n  render: true\n  render_timeout_ms: 90000\n");
    assertEquals(90_000L, timed.fetch().renderTimeoutMs());
    assertEquals("rendered", timed.format());

    SourceDefinition plain = load("fetch:\n  max_bytes: 1000\n");
    assertFalse(plain.fetch().render());
    assertEquals("html", plain.format());
    assertFalse(load("fetch:\n  render: false\n").fetch().render());
    assertFalse(FetchSettings.DEFAULTS.render());
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("Render settings that cannot work are refused with file:line and the reason")
  @CsvSource(delimiter = '|', textBlock = """
      not a boolean            | 'fetch:\\n  render: yes please\\n'                              | 6 | 'render' must be true or false
      time limit alone         | 'fetch:\\n  render_timeout_ms: 5000\\n'                          | 6 | 'render_timeout_ms' applies only with render: true
      time limit too short     | 'fetch:\\n  render: true\\n  render_timeout_ms: 10\\n'           | 7 | must be at least 1000
      html with render         | 'format: html\\nfetch:\\n  render: true\\n'                      | 5 | has format 'rendered' (or none), not 'html'
      rendered without render  | 'format: rendered\\n'                                           | 5 | needs fetch.render: true
      """)
  void refusesInvalid(String name, String middle, int line, String reason) throws Exception {
    Path f = dir.resolve("ranks.yaml");
    Files.writeString(f, HEAD + middle.replace("\\n", "\n") + EXTRACTOR);
    SourceException e = assertThrows(SourceException.class, () -> loader.loadFile(f));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertEquals(line, e.line(), e.getMessage());
  }
}
