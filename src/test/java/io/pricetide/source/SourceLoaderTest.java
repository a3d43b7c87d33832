package io.pricetide.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.extract.ExtractorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceLoaderTest {
  @TempDir
  Path dir;

  private final SourceLoader loader = new SourceLoader(ExtractorRegistry.builtIn());

  static final String GOOD = """
      id: acme
      url: https://acme.example/pricing
      schedule: "0 0 */6 * * ?"
      extractor:
        kind: html-table
        columns:
          Input: input
      """;

  @Test
  @DisplayName("A minimal valid file loads with documented defaults")
  void loadsWithDefaults() throws Exception {
    Files.writeString(dir.resolve("acme.yaml"), GOOD);
    SourceDefinition d = loader.loadFile(dir.resolve("acme.yaml"));
    assertEquals("acme", d.id());
    assertEquals("prices", d.kind());
    assertEquals("html", d.format());
    assertEquals("USD", d.currency());
    assertEquals(FetchSettings.DEFAULTS, d.fetch());
    assertEquals(Guards.DEFAULTS, d.guards());
    assertTrue(d.enabled());
    assertEquals(java.util.List.of("https://acme.example/pricing"), d.urls());
  }

  @Test
  @DisplayName("urls: further URLs one check fetches after url, in order; a source without it has url alone")
  void severalUrls() throws Exception {
    Files.writeString(dir.resolve("acme.yaml"), GOOD.replace("schedule:",
        "urls:\n  - https://acme.example/b\n  - https://acme.example/c\nschedule:"));
    SourceDefinition d = loader.loadFile(dir.resolve("acme.yaml"));
    assertEquals("https://acme.example/pricing", d.url());
    assertEquals(java.util.List.of("https://acme.example/pricing", "https://acme.example/b",
        "https://acme.example/c"), d.urls());
    assertTrue(d.multiUrl());
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("Invalid source files are refused with file:line and the reason")
  @CsvSource(delimiter = '|', textBlock = """
      unknown top-level key       | 'id: acme\\nurl: https://a.example/\\nschedule: \"0 0 * * * ?\"\\ncolour: red\\nextractor:\\n  kind: json\\n  prices: {input: a}\\n' | 4 | unknown key 'colour'
      bad cron                    | 'id: acme\\nurl: https://a.example/\\nschedule: \"every hour\"\\nextractor:\\n  kind: json\\n  prices: {input: a}\\n'                | 3 | not a Quartz cron expression
      unknown extractor           | 'id: acme\\nurl: https://a.example/\\nschedule: \"0 0 * * * ?\"\\nextractor:\\n  kind: magic\\n'                                    | 5 | unknown extractor kind 'magic'
      unknown extractor key       | 'id: acme\\nurl: https://a.example/\\nschedule: \"0 0 * * * ?\"\\nextractor:\\n  kind: json\\n  pricez: {input: a}\\n'              | 6 | unknown key 'pricez' for extractor 'json'
      missing url                 | 'id: acme\\nschedule: \"0 0 * * * ?\"\\nextractor:\\n  kind: json\\n  prices: {input: a}\\n'                                         | 1 | missing required key 'url'
      duplicate key               | 'id: acme\\nid: acme2\\nurl: https://a.example/\\nschedule: \"0 0 * * * ?\"\\nextractor:\\n  kind: json\\n  prices: {input: a}\\n' | 2 | duplicate key 'id'
      bad fetch number            | 'id: acme\\nurl: https://a.example/\\nschedule: \"0 0 * * * ?\"\\nfetch:\\n  retries: many\\nextractor:\\n  kind: json\\n  prices: {input: a}\\n' | 5 | 'retries' must be a whole number
      yaml syntax                 | 'id: acme\\nurl: [https://a.example/\\n'                                                                                                | 3 | YAML syntax
      not http                    | 'id: acme\\nurl: ftp://a.example/\\nschedule: \"0 0 * * * ?\"\\nextractor:\\n  kind: json\\n  prices: {input: a}\\n'                  | 2 | url must be http or https
      urls not a list             | 'id: acme\\nurl: https://a.example/\\nurls: https://b.example/\\nschedule: \"0 0 * * * ?\"\\nextractor:\\n  kind: json\\n  prices: {input: a}\\n' | 3 | 'urls' must be a list
      urls not http               | 'id: acme\\nurl: https://a.example/\\nurls:\\n  - ftp://b.example/\\nschedule: \"0 0 * * * ?\"\\nextractor:\\n  kind: json\\n  prices: {input: a}\\n' | 4 | each must be http or https
      urls twice                  | 'id: acme\\nurl: https://a.example/\\nurls:\\n  - https://a.example/\\nschedule: \"0 0 * * * ?\"\\nextractor:\\n  kind: json\\n  prices: {input: a}\\n' | 4 | listed twice
      unknown unit                | 'id: acme\\nurl: https://a.example/\\nschedule: \"0 0 * * * ?\"\\nunit: per_kilo\\nextractor:\\n  kind: json\\n  prices: {input: a}\\n' | 4 | unknown unit 'per_kilo'
      """)
  void refusesInvalid(String name, String yaml, int line, String reason) throws Exception {
    Path f = dir.resolve("acme.yaml");
    Files.writeString(f, yaml.replace("\\n", "\n"));
    SourceException e = assertThrows(SourceException.class, () -> loader.loadFile(f));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith(f + ":" + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  @DisplayName("Duplicate ids across files are refused, naming both files; every error of the directory is listed")
  void duplicateIdsAcrossFiles() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), GOOD);
    Files.writeString(dir.resolve("b.yaml"), GOOD);
    Files.writeString(dir.resolve("c.yaml"), "id: c\n");
    SourceLoader.Result r = loader.loadDirectory(dir);
    assertEquals(1, r.sources().size());
    assertEquals(4, r.errors().size(), r.errors().toString());
    assertTrue(r.errors().get(0).contains("b.yaml:1: duplicate source id 'acme' (also in " + dir.resolve("a.yaml")),
        r.errors().get(0));
    // Every problem of c.yaml, not only the first (#14).
    assertEquals(List.of("c.yaml:1: missing required key 'url'", "c.yaml:1: missing required key 'schedule'",
        "c.yaml:1: missing required key 'extractor'"), r.errors().subList(1, 4).stream()
        .map(e -> e.substring(e.indexOf("c.yaml"))).toList());
    IllegalStateException ex = assertThrows(IllegalStateException.class, r::orThrow);
    assertTrue(ex.getMessage().contains("invalid source definitions"));
  }

  @Test
  @DisplayName("Each directory's alias file names models for the sources loaded with it, and for no others")
  void aliasesBelongToTheirDirectory() throws Exception {
    Path withAliases = Files.createDirectories(dir.resolve("with"));
    Path without = Files.createDirectories(dir.resolve("without"));
    Files.writeString(withAliases.resolve("_model-aliases.yaml"), "claude-opus-4.1: [claude-opus-4-1]\n");
    SourceLoader.Result a = loader.loadDirectory(withAliases);
    SourceLoader.Result b = loader.loadDirectory(without);
    assertEquals("claude-opus-4.1", a.models().canonical("anthropic/claude-opus-4-1"));
    assertEquals("claude-opus-4-1", b.models().canonical("anthropic/claude-opus-4-1"),
        "loading another directory later neither reuses nor replaces the first one's aliases");
    assertEquals("claude-opus-4.1", a.models().canonical("Claude-Opus-4-1"));
  }
}
